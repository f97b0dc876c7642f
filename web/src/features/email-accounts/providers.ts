import type { Provider } from './email-accounts-client';

/** providers lists every provider the server accepts, in the order the form offers them. */
export const providers: readonly { value: Provider; label: string }[] = [
  { value: 'gmail', label: 'Gmail' },
  { value: 'outlook', label: 'Outlook' },
  { value: 'imap', label: 'IMAP' },
  { value: 'other', label: 'Other' },
];

/** providerLabel names a provider for people. */
export function providerLabel(provider: Provider): string {
  return providers.find((p) => p.value === provider)?.label ?? provider;
}
