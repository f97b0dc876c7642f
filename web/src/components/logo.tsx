import styles from './logo.module.css';

/** Logo is Gatehouse's mark and name. */
export function Logo({ size = 28, withName = true }: { size?: number; withName?: boolean }) {
  return (
    <span className={styles.logo}>
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={styles.mark}>
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M9 25V13.5L16 8l7 5.5V25h-4.5v-6.5h-5V25H9Z" fill="#fff" />
      </svg>
      {withName ? <span className={styles.name}>Gatehouse</span> : <span className="visually-hidden">Gatehouse</span>}
    </span>
  );
}
