/**
 * Test support for the sign-in and consent pages: a minimal browser over `app.request()` that
 * keeps cookies and posts the interaction form, and a reader of a page's hidden form fields.
 */
import { authorizationParams, ISSUER, type Harness } from './index.ts';

const INTERACTION = `${ISSUER}/authorize/interaction`;

/** A minimal browser for app.request: keeps cookies, reads the hidden fields of the last page. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly h: Harness) {}

  #remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async open(overrides: Record<string, string | undefined> = {}): Promise<Response> {
    const url = `${ISSUER}/authorize?${authorizationParams(overrides)}`;
    return this.#remember(await this.h.app.request(url, { headers: { Accept: 'text/html', Cookie: this.cookieHeader } }));
  }

  async post(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.#remember(
      await this.h.app.request(INTERACTION, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, Cookie: this.cookieHeader, ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  }
}

/** The hidden form fields (interaction id, CSRF token) of a page; `html` is not enumerable (not posted). */
export async function formOf(response: Response): Promise<{ interaction: string; csrf: string; html: string }> {
  const html = await response.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return Object.defineProperty({ interaction: field('interaction'), csrf: field('csrf') }, 'html', { value: html, enumerable: false }) as {
    interaction: string;
    csrf: string;
    html: string;
  };
}
