// The errors every API call rejects with, and the one place that reads error bodies: both
// FastAPI shapes (`detail` as a sentence, `detail` as a list of field errors) become an
// ApiError with a stable code and per-field messages, so callers never parse a response.

/** FieldError is one invalid input the server reported: the field it names and why. */
export interface FieldError {
  /** The field's name without the "body" prefix, e.g. "email" or "address.city". */
  field: string;
  /** A sentence to show next to the field. */
  message: string;
  /** FastAPI's machine-readable kind, e.g. "value_error.email". */
  type: string;
}

/** ApiError is an answer from the server other than success. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status, e.g. 400, 401, 422. */
    readonly status: number,
    /** A sentence that is safe to show to the user. */
    message: string,
    /** The server's stable error code (e.g. "email_taken"), when it sent one. */
    readonly code: string | null = null,
    /** Each invalid field, for a 422; empty otherwise. */
    readonly fieldErrors: readonly FieldError[] = [],
    /** The server's Retry-After in whole seconds (a 429 or a 503), when it sent a valid one. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** NetworkError means the server could not be reached or did not answer in time. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(message = "Can't reach Gatehouse. Check your connection and try again.") {
    super(message);
  }
}

/**
 * parseRetryAfter reads a Retry-After header strictly: a non-negative integer of seconds, or an
 * HTTP date (IMF-fixdate, in GMT) turned into whole seconds from `now`, never below 0. Anything
 * else (absent, negative, fractional, garbage) is undefined, so a bad header never becomes a
 * wait the user is made to sit through.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // Date.parse accepts nearly anything; require the HTTP date's shape before trusting it.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const friendlyByType: Record<string, string> = {
  'value_error.missing': 'This field is required.',
  'value_error.email': 'Enter a valid email address.',
  'value_error.str.control_characters': 'Remove the invisible control characters.',
  'value_error.str.no_visible_characters': 'Use at least one visible character.',
};

const lengthSide: Record<string, 'least' | 'most'> = {
  'value_error.any_str.min_length': 'least',
  'value_error.any_str.max_length': 'most',
  'value_error.password.too_short': 'least',
  'value_error.password.too_long': 'most',
};

/**
 * friendly rewords pydantic's messages, choosing by the stable `type`, never by the wording.
 * For a length limit only the number (and whether it counts bytes) is read from the message.
 */
function friendly(type: string, msg: string): string {
  const known = friendlyByType[type];
  if (known !== undefined) return known;
  const side = lengthSide[type];
  const count = /\d+/.exec(msg)?.[0];
  if (side !== undefined && count !== undefined) {
    if (side === 'least' && count === '1') return 'This field is required.';
    const unit = /\bbytes?\b/.test(msg) ? 'bytes' : 'characters';
    return `Use at ${side} ${count} ${unit}.`;
  }
  return sentence(msg);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * withAdvice adds a refused password's zxcvbn warning and suggestions (the 422's ctx) to its
 * message, each one only if the message does not say it already, so the field shows the
 * server's whole verdict, which is the one that counts where it and the meter ever differ.
 */
function withAdvice(message: string, ctx: unknown): string {
  if (!isRecord(ctx)) return message;
  const suggestions: unknown[] = Array.isArray(ctx.suggestions) ? (ctx.suggestions as unknown[]) : [];
  const advice = [ctx.warning, ...suggestions]
    .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
    .map(sentence);
  const parts = [message];
  for (const part of advice) {
    const said = parts.join(' ').toLowerCase();
    if (!said.includes(part.toLowerCase().replace(/\.$/, ''))) parts.push(part);
  }
  return parts.join(' ');
}

function toFieldError(item: unknown): FieldError | null {
  if (!isRecord(item)) return null;
  const loc = Array.isArray(item.loc) ? item.loc.map(String) : [];
  // FastAPI prefixes the field with where it came from ("body", "query", "path").
  const path = ['body', 'query', 'path', 'header', 'cookie'].includes(loc[0] ?? '') ? loc.slice(1) : loc;
  const type = typeof item.type === 'string' ? item.type : '';
  const msg = typeof item.msg === 'string' ? item.msg : 'Invalid value';
  const message = type.startsWith('value_error.password.')
    ? withAdvice(friendly(type, msg), item.ctx)
    : friendly(type, msg);
  return { field: path.join('.'), message, type };
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return "You don't have permission to do that.";
  if (status === 404) return 'That could not be found. It may have been removed.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Please try again.';
  return `The request failed (${status}). Please try again.`;
}

/**
 * toApiError turns an error response into an ApiError. It is the only place that reads error
 * bodies, and it accepts both FastAPI shapes: `detail` as a sentence, and `detail` as a list
 * of field errors (a 422), as well as bodies that are neither (a proxy's HTML page).
 * `retryAfter` is the parsed Retry-After header, carried on the error as is.
 */
export function toApiError(status: number, body: unknown, retryAfter?: number): ApiError {
  const code = isRecord(body) && typeof body.code === 'string' ? body.code : null;
  const detail = isRecord(body) ? body.detail : undefined;

  if (typeof detail === 'string' && detail.trim() !== '') {
    return new ApiError(status, sentence(detail), code, [], retryAfter);
  }
  if (Array.isArray(detail)) {
    const fields = detail.map(toFieldError).filter((f): f is FieldError => f !== null);
    const message =
      fields.length === 1 && fields[0]?.field === ''
        ? fields[0].message
        : fields.length > 0
          ? 'Some fields need your attention.'
          : fallbackMessage(status);
    return new ApiError(status, message, code, fields, retryAfter);
  }
  return new ApiError(status, fallbackMessage(status), code, [], retryAfter);
}
