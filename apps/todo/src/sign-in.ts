/**
 * A token for `userId` from the app's server (`POST /auth/login`, see server/todo-auth.ts): the
 * store's `auth` function, asked on every connect and whenever the server wants a fresh token
 * before the current one expires. The demo signs in with the picked name alone.
 */
export async function fetchToken(userId: string): Promise<string> {
  const response = await fetch(`${location.origin}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: userId }),
  });
  if (!response.ok) throw new Error(`Sign-in failed: HTTP ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return token;
}
