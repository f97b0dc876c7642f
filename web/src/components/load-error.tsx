import { Alert } from './alert';
import { Button } from './button';
import { RefreshIcon } from './icons';

export interface LoadErrorProps {
  /** What could not be loaded, as a sentence: "Couldn't load your sessions". */
  title: string;
  message: string;
  onRetry: () => void;
}

/** LoadError says that a list could not be loaded, with a button to try again. */
export function LoadError({ title, message, onRetry }: LoadErrorProps) {
  return (
    <Alert
      tone="error"
      title={title}
      action={
        <Button size="sm" icon={<RefreshIcon size={16} />} onClick={onRetry}>
          Try again
        </Button>
      }
    >
      {message}
    </Alert>
  );
}
