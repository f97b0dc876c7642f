import { Button } from '../../../components/button';
import { CheckCircleIcon } from '../../../components/icons';
import { Spinner } from '../../../components/spinner';
import type { Captcha } from './use-captcha';
import styles from './captcha-status.module.css';

const vendorNames = { turnstile: 'Cloudflare Turnstile', hcaptcha: 'hCaptcha' } as const;

function message({ status, vendor }: Pick<Captcha, 'status' | 'vendor'>): string {
  switch (status) {
    case 'solving':
      return "Checking you're not a bot…";
    case 'verified':
      return 'Verified';
    case 'failed':
      return "Couldn't check you're not a bot.";
    case 'vendor':
      // The app does not load vendors' widgets (see the README's CAPTCHA section): it says so.
      return vendor === null
        ? ''
        : `This server checks for bots with ${vendorNames[vendor.provider]}, which this app can't show yet.`;
    default:
      return '';
  }
}

/**
 * CaptchaStatus says how the form's bot check is going. The line's height is reserved from
 * the start, so nothing moves when the text appears; the text sits in a polite live region,
 * always present, so screen readers hear "Checking…" and "Verified" without being
 * interrupted. A failure offers a retry next to it.
 */
export function CaptchaStatus({ captcha }: { captcha: Captcha }) {
  const text = message(captcha);
  return (
    <div className={styles.status}>
      {captcha.status === 'solving' ? <Spinner size={14} /> : null}
      {captcha.status === 'verified' ? <CheckCircleIcon width={14} height={14} /> : null}
      <p className={styles.text} aria-live="polite" aria-atomic="true">
        {text}
      </p>
      {captcha.status === 'failed' ? (
        <Button size="sm" variant="ghost" onClick={captcha.retry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
