import { Fragment } from 'react';

/**
 * EmailAddress shows an address that, when it must wrap, wraps after the @ and before a dot
 * (ada.lovelace@<wrap>analytical-engine<wrap>.example), never in the middle of a name. With
 * CSS `overflow-wrap: break-word` around it, only a single part too long for the line is cut.
 */
export function EmailAddress({ address }: { address: string }) {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  const domain = at < 0 ? null : address.slice(at + 1);
  const dotted = (text: string) =>
    text.split('.').map((part, i) => (
      <Fragment key={i}>
        {i > 0 ? (
          <>
            <wbr />.
          </>
        ) : null}
        {part}
      </Fragment>
    ));
  return (
    <>
      {dotted(local)}
      {domain === null ? null : (
        <>
          @<wbr />
          {dotted(domain)}
        </>
      )}
    </>
  );
}
