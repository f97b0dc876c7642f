import { useRef, useState } from 'react';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { LaptopIcon, PhoneIcon } from '../../components/icons';
import { LoadError } from '../../components/load-error';
import { SkeletonList } from '../../components/skeleton';
import { ApiError } from '../../lib/api-error';
import { formErrorsFrom } from '../../lib/form-errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { describeDevice } from './describe-device';
import { sessionsClient, type Session } from './sessions-client';
import styles from './sessions.module.css';

/** SessionsCard lists where the user is signed in, marks this device, and ends the others. */
export function SessionsCard() {
  const sessions = useResource(sessionsClient.list);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const listRegion = useRef<HTMLDivElement>(null);

  const revoke = async (session: Session, label: string) => {
    setBusy(session.id);
    setError(null);
    try {
      await sessionsClient.revoke(session.id);
      sessions.update((all) => all.filter((s) => s.id !== session.id));
      setAnnouncement(`Signed out ${label}.`);
      listRegion.current?.focus();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) {
        // Already ended elsewhere: the row is stale, so drop it rather than offer it again.
        sessions.update((all) => all.filter((s) => s.id !== session.id));
        setAnnouncement(`${label} was already signed out.`);
        listRegion.current?.focus();
      } else {
        setError(formErrorsFrom(caught, []).form);
      }
    } finally {
      setBusy(null);
    }
  };

  const revokeOthers = async () => {
    setBusy('others');
    setError(null);
    try {
      const revoked = await sessionsClient.revokeOthers();
      sessions.update((all) => all.filter((s) => s.current));
      setAnnouncement(
        revoked === 0
          ? 'There were no other sessions.'
          : `Signed out ${revoked} other ${revoked === 1 ? 'session' : 'sessions'}.`,
      );
    } catch (caught) {
      setError(formErrorsFrom(caught, []).form);
    } finally {
      setBusy(null);
    }
  };

  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  const ordered = [...(sessions.data ?? [])].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.last_used_at.localeCompare(a.last_used_at),
  );

  let body;
  if (sessions.status === 'error' && sessions.data === undefined) {
    body = <LoadError title="Couldn't load your sessions" message={sessions.error.message} onRetry={sessions.reload} />;
  } else if (sessions.data === undefined) {
    body = <SkeletonList rows={2} label="Loading sessions…" />;
  } else {
    body = (
      <ul className={styles.list} aria-label="Signed-in devices">
        {ordered.map((session) => {
          const device = describeDevice(session.user_agent);
          const Icon = device.kind === 'mobile' ? PhoneIcon : LaptopIcon;
          return (
            <li key={session.id} className={styles.item}>
              <span className={styles.icon}>
                <Icon size={18} />
              </span>
              <div className={styles.text}>
                <p className={styles.title}>
                  <span>{device.label}</span>
                  {session.current ? <Badge tone="success">This device</Badge> : null}
                </p>
                <p className={styles.meta}>
                  {session.ip ? `${session.ip} · ` : ''}
                  {session.current ? 'Active now' : `Last active ${formatRelative(session.last_used_at)}`}
                  <span className={styles.since}> · Signed in {formatDateTime(session.created_at)}</span>
                </p>
              </div>
              {session.current ? null : (
                <Button
                  size="sm"
                  variant="secondary"
                  aria-label={`Revoke ${device.label}, last active ${formatRelative(session.last_used_at)}`}
                  pending={busy === session.id}
                  pendingLabel="Revoking…"
                  disabled={busy !== null}
                  onClick={() => revoke(session, device.label)}
                >
                  Revoke
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <Card
      title="Where you're signed in"
      icon={<LaptopIcon />}
      description="Revoke any session you don't recognise. Changing your password signs out every other device."
      actions={
        sessions.data !== undefined && others > 0 ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={revokeOthers}
            pending={busy === 'others'}
            pendingLabel="Revoking…"
            disabled={busy !== null}
          >
            Revoke all other sessions
          </Button>
        ) : undefined
      }
    >
      <div className={styles.stack}>
        {error ? <Alert tone="error">{error}</Alert> : null}
        <div ref={listRegion} tabIndex={-1} className={styles.region}>
          {body}
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </Card>
  );
}
