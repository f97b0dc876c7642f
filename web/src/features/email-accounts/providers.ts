import { apiRules } from '../../lib/api-rules';
import type { Provider } from './email-accounts-client';

// Every provider gets a label here: a provider the server adds to its enum is a compile error
// until it is named for people.
const labels: Record<Provider, string> = { gmail: 'Gmail', outlook: 'Outlook', imap: 'IMAP', other: 'Other' };

/** providers lists every provider the server accepts, in the order its OpenAPI document lists them. */
export const providers: readonly { value: Provider; label: string }[] = apiRules.EmailAccountInput.provider.enum.map(
  (value) => ({ value, label: labels[value] }),
);

/** providerLabel names a provider for people. */
export function providerLabel(provider: Provider): string {
  return labels[provider];
}
