import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../components/alert';
import { Avatar } from '../../components/avatar';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { EmailAddress } from '../../components/email-address';
import { PencilIcon, UserIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { formatDate } from '../../lib/format';
import { useForm } from '../../lib/use-form';
import { requiredTextError } from '../../lib/validation';
import styles from './profile.module.css';
import { usersClient, type Profile } from './users-client';

const fields = ['first_name', 'last_name'] as const;
type Field = (typeof fields)[number];

function validate(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const first = requiredTextError(values.first_name, 'first name');
  const last = requiredTextError(values.last_name, 'last name');
  if (first !== null) errors.first_name = first;
  if (last !== null) errors.last_name = last;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields);

export interface ProfileCardProps {
  user: Profile;
  onUpdated: (user: Profile) => void;
}

/** ProfileCard shows who the user is and lets them change their name. */
export function ProfileCard({ user, onUpdated }: ProfileCardProps) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  // The form, and the button focus was on, are gone: put focus back on "Edit profile".
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setEditing(false);
  };

  return (
    <Card
      title="Profile"
      icon={<UserIcon />}
      actions={
        editing ? undefined : (
          <Button
            ref={editButton}
            size="sm"
            variant="secondary"
            icon={<PencilIcon size={16} />}
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            Edit profile
          </Button>
        )
      }
    >
      {editing ? (
        <ProfileForm
          user={user}
          onCancel={close}
          onSaved={(updated) => {
            onUpdated(updated);
            close();
            setSaved(true);
          }}
        />
      ) : (
        <div className={styles.stack}>
          {saved ? <Alert tone="success">Your profile has been saved.</Alert> : null}
          <div className={styles.identity}>
            <Avatar name={`${user.first_name} ${user.last_name}`} size={48} />
            <div className={styles.who}>
              <p className={styles.name}>
                {user.first_name} {user.last_name}
              </p>
              <p className={styles.muted}>
                <EmailAddress address={user.email} />
              </p>
            </div>
          </div>
          <dl className={styles.facts}>
            <div>
              <dt>Member since</dt>
              <dd>{formatDate(user.created_at)}</dd>
            </div>
            <div>
              <dt>Last updated</dt>
              <dd>{formatDate(user.updated_at)}</dd>
            </div>
          </dl>
        </div>
      )}
    </Card>
  );
}

function ProfileForm({
  user,
  onCancel,
  onSaved,
}: {
  user: Profile;
  onCancel: () => void;
  onSaved: (user: Profile) => void;
}) {
  const firstInput = useRef<HTMLInputElement | null>(null);
  const form = useForm<Field>({
    fields,
    initial: { first_name: user.first_name, last_name: user.last_name },
    validate,
    toErrors,
    submit: async (values) => {
      onSaved(
        await usersClient.updateProfile({ first_name: values.first_name.trim(), last_name: values.last_name.trim() }),
      );
    },
  });

  useEffect(() => firstInput.current?.focus(), []);

  const first = form.field('first_name');
  return (
    <form className={styles.stack} onSubmit={form.onSubmit} noValidate aria-label="Edit profile">
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
        </Alert>
      ) : null}
      <TextField
        label="First name"
        autoComplete="given-name"
        required
        {...first}
        ref={(element) => {
          firstInput.current = element;
          first.ref(element);
        }}
      />
      <TextField label="Last name" autoComplete="family-name" required {...form.field('last_name')} />
      <div className={styles.actions}>
        <Button type="submit" variant="primary" pending={form.pending} pendingLabel="Saving…">
          Save changes
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={form.pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
