import styles from './avatar.module.css';

/** Avatar shows a person's initials; it is decorative, the name beside it is what is read. */
export function Avatar({ name, size = 32 }: { name: string; size?: number }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => Array.from(part)[0]?.toUpperCase() ?? '')
      .join('') || '?';
  return (
    <span className={styles.avatar} data-size={size > 40 ? 'lg' : 'md'} aria-hidden="true">
      {initials}
    </span>
  );
}
