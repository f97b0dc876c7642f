import type { paths } from './api-types';

// The one module that talks HTTP. Every request goes through `request`, which adds the access
// token, sends the session cookie, and turns any failure into an ApiError or a NetworkError,
// so callers handle errors in terms of codes and fields, never of response bodies.

const baseUrl: string = import.meta.env.VITE_API_URL ?? '';
const timeoutMs = 20_000;

// ---- Errors ---------------------------------------------------------------------------------

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

function toFieldError(item: unknown): FieldError | null {
  if (!isRecord(item)) return null;
  const loc = Array.isArray(item.loc) ? item.loc.map(String) : [];
  // FastAPI prefixes the field with where it came from ("body", "query", "path").
  const path = ['body', 'query', 'path', 'header', 'cookie'].includes(loc[0] ?? '') ? loc.slice(1) : loc;
  const type = typeof item.type === 'string' ? item.type : '';
  const msg = typeof item.msg === 'string' ? item.msg : 'Invalid value';
  return { field: path.join('.'), message: friendly(type, msg), type };
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
 */
export function toApiError(status: number, body: unknown): ApiError {
  const code = isRecord(body) && typeof body.code === 'string' ? body.code : null;
  const detail = isRecord(body) ? body.detail : undefined;

  if (typeof detail === 'string' && detail.trim() !== '') {
    return new ApiError(status, sentence(detail), code);
  }
  if (Array.isArray(detail)) {
    const fields = detail.map(toFieldError).filter((f): f is FieldError => f !== null);
    const message =
      fields.length === 1 && fields[0]?.field === ''
        ? fields[0].message
        : fields.length > 0
          ? 'Some fields need your attention.'
          : fallbackMessage(status);
    return new ApiError(status, message, code, fields);
  }
  return new ApiError(status, fallbackMessage(status), code);
}

// ---- Session binding ------------------------------------------------------------------------

/**
 * SessionBinding lets the auth layer lend the client its access token without the client
 * knowing about React or the auth feature.
 */
export interface SessionBinding {
  /** The current access token, held in memory only, or null. */
  accessToken(): string | null;
  /** Gets a new access token through the refresh cookie; resolves null when the session is gone. */
  refresh(): Promise<string | null>;
  /** Called when the server still refuses a request after a successful refresh. */
  expired(): void;
}

let session: SessionBinding | null = null;

/** bindSession attaches the auth layer; the returned function detaches it. */
export function bindSession(binding: SessionBinding): () => void {
  session = binding;
  return () => {
    if (session === binding) session = null;
  };
}

// ---- Types derived from the OpenAPI document ------------------------------------------------

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Path = keyof paths;

type Operation<P extends Path, M extends Method> = M extends keyof paths[P] ? Exclude<paths[P][M], undefined> : never;

/** PathFor lists the paths that accept method M. */
export type PathFor<M extends Method> = {
  [P in Path]: [Operation<P, M>] extends [never] ? never : P;
}[Path];

type Responses<O> = O extends { responses: infer R } ? R : never;
type SuccessStatus = 200 | 201 | 202 | 204;
type JsonOf<R> = R extends { content: { 'application/json': infer C } } ? C : undefined;

/** ResponseBody is what a successful call to method M on path P resolves to. */
export type ResponseBody<P extends Path, M extends Method> = {
  [S in keyof Responses<Operation<P, M>>]: S extends SuccessStatus ? JsonOf<Responses<Operation<P, M>>[S]> : never;
}[keyof Responses<Operation<P, M>>];

type BodyOf<O> = O extends { requestBody?: infer B } ? NonNullable<B> : never;
type ContentOf<O, Type extends string> = [BodyOf<O>] extends [never]
  ? never
  : BodyOf<O> extends { content: { [K in Type]: infer C } }
    ? C
    : never;
type PathParamsOf<O> = O extends { parameters: { path: infer P } } ? P : never;

/** RequestBody is the JSON body that method M on path P takes. */
export type RequestBody<P extends Path, M extends Method> = ContentOf<Operation<P, M>, 'application/json'>;

/** RequestOptions is what a call needs besides the path: its body, path parameters and flags. */
export type RequestOptions<P extends Path, M extends Method> = ([RequestBody<P, M>] extends [never]
  ? unknown
  : { json: RequestBody<P, M> }) &
  ([ContentOf<Operation<P, M>, 'application/x-www-form-urlencoded'>] extends [never]
    ? unknown
    : { form: ContentOf<Operation<P, M>, 'application/x-www-form-urlencoded'> }) &
  ([PathParamsOf<Operation<P, M>>] extends [never] ? unknown : { params: PathParamsOf<Operation<P, M>> }) & {
    /** Send the access token, and refresh once on a 401. Default true. */
    auth?: boolean;
    signal?: AbortSignal;
  };

// The options may be left out when none of them is required.
type Args<T> = Partial<T> extends T ? [options?: T] : [options: T];

/** The options as the code below reads them; the types above guarantee their shape. */
interface RuntimeOptions {
  json?: unknown;
  form?: Record<string, string>;
  params?: Record<string, string>;
  auth?: boolean;
  signal?: AbortSignal;
}

// ---- Requests -------------------------------------------------------------------------------

function buildUrl(path: string, params: Record<string, string> | undefined): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`api-client: missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
  return `${baseUrl}${filled}`;
}

async function send(method: Method, url: string, options: RuntimeOptions, token: string | null): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json' });
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(options.form).toString();
  }
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);

  // The timeout applies whether or not the caller brings its own signal.
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body,
      // The refresh token lives in an HttpOnly cookie on this origin; scripts never see it.
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    // The caller gave up: that is an abort, not a failure to report.
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (timeout.aborted) throw new NetworkError('Gatehouse took too long to answer. Please try again.');
    throw new NetworkError();
  }
}

const unreadable = Symbol('unreadable');

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return unreadable;
  try {
    return (await response.json()) as unknown;
  } catch {
    return unreadable;
  }
}

/**
 * request calls the API. With `auth` (the default) it sends the access token and, on a 401,
 * refreshes the session once and retries once; if that fails too the session is over.
 * It resolves to the success body and rejects with ApiError or NetworkError.
 */
export async function request<M extends Method, P extends PathFor<M>>(
  method: M,
  path: P,
  ...[options]: Args<RequestOptions<P, M>>
): Promise<ResponseBody<P, M>> {
  const opts = (options ?? {}) as RuntimeOptions;
  const url = buildUrl(path, opts.params);
  const useAuth = opts.auth ?? true;

  const sentWith = useAuth ? (session?.accessToken() ?? null) : null;
  let response = await send(method, url, opts, sentWith);
  if (response.status === 401 && useAuth && session !== null) {
    const binding = session;
    // If the token changed since this request left, another request has refreshed already:
    // retry with its token rather than start a refresh of our own.
    const current = binding.accessToken();
    const token = current !== null && current !== sentWith ? current : await binding.refresh();
    if (token !== null) {
      response = await send(method, url, opts, token);
      if (response.status === 401) binding.expired();
    }
  }

  const body = await readJson(response);
  if (!response.ok) throw toApiError(response.status, body === unreadable ? undefined : body);
  // Every success but a 204 carries JSON; anything else (a proxy's HTML page, a truncated
  // body) would reach the caller as undefined and crash it far from here.
  if (body === unreadable) {
    throw new ApiError(
      response.status,
      'Gatehouse sent an answer the app could not read. Please try again.',
      'bad_response',
    );
  }
  return body as ResponseBody<P, M>;
}

/** api is `request` with one method per HTTP verb: `api.post('/api/auth/register', { json })`. */
export const api = {
  get: <P extends PathFor<'get'>>(path: P, ...options: Args<RequestOptions<P, 'get'>>) =>
    request('get', path, ...options),
  post: <P extends PathFor<'post'>>(path: P, ...options: Args<RequestOptions<P, 'post'>>) =>
    request('post', path, ...options),
  put: <P extends PathFor<'put'>>(path: P, ...options: Args<RequestOptions<P, 'put'>>) =>
    request('put', path, ...options),
  patch: <P extends PathFor<'patch'>>(path: P, ...options: Args<RequestOptions<P, 'patch'>>) =>
    request('patch', path, ...options),
  delete: <P extends PathFor<'delete'>>(path: P, ...options: Args<RequestOptions<P, 'delete'>>) =>
    request('delete', path, ...options),
};
