/** One answer of a browser route: where it redirects, and the cookie jar after its Set-Cookie headers. */
export interface Redirect {
  status: number;
  location: string;
  cookies: Map<string, string>;
}

/** GETs a browser route like a browser would, with a cookie jar, without following the redirect. */
export async function getRedirect(url: string, cookies: Map<string, string> = new Map()): Promise<Redirect> {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
  });
  const jar = new Map(cookies);
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
  return { status: response.status, location: response.headers.get('location') ?? '', cookies: jar };
}
