import { serverTodo } from "./server-definition.js";
import { authSecret, todoAuth } from "./todo-auth.js";

/**
 * The todo app as deployed: `synced-store serve apps/todo/server/deploy.ts --static apps/todo/dist`
 * (README, "Deploy"). Clients sign in at `POST /auth/login` for a token signed with
 * `SYNCED_STORE_AUTH_SECRET` (required here: without it the server does not start), valid for an
 * hour and refreshed in band before it ends.
 */
const auth = todoAuth({ secret: authSecret(process.env, false) });

export default {
  stores: [serverTodo],
  authenticate: auth.authenticate,
  handleRequest: auth.handleLogin,
};
