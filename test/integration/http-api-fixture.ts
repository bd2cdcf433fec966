import { cdcTopics } from "../../services/crud-cdc/cdc-variant.ts";
import { createCartApi } from "../../services/http-api/cart-api.ts";
import { listenCartApi } from "../../services/http-api/listen-cart-api.ts";
import { createLogger } from "../../services/platform/logger.ts";
import { openTestDesigns } from "./designs/designs-fixture.ts";
import { stack } from "./support/stack.ts";

/** The cart API on both designs of fresh schemas and a CDC variant of their own, on a free loopback port. */
export async function openTestApi() {
  const lab = await openTestDesigns();
  const api = createCartApi({
    designs: lab.designs,
    journalSchema: `${lab.variant.name}_journal`,
    cdcTopics: cdcTopics(lab.variant).all,
    kafkaBrokers: stack().kafkaBrokers,
    logger: createLogger("warn"),
  });
  const serving = await listenCartApi(api, { host: "127.0.0.1", port: 0 }).catch(async (error: unknown) => {
    await api.close();
    await lab.dispose();
    throw error;
  });
  return {
    lab,
    url: serving.url,
    async dispose() {
      await serving.close();
      await lab.dispose();
    },
  };
}
