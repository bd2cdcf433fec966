import { LabError } from "../../../services/platform/errors.ts";
import { waitFor } from "../../../services/platform/wait-for.ts";
import { byDesign, forCdc } from "../../kit/drivers/subject-driver.ts";
import { SIZES } from "../../model/scenario.ts";
import type { Scenario } from "../../model/scenario.ts";
import { generateCartWorkload } from "../../workload/cart-workload.ts";
import { expectedChanges, workloadWithReasons } from "./audit-record.ts";
import type { AuditState } from "./audit-state.ts";
import { requireTarget } from "./audit-state.ts";
import { repriceInCrudTables, repriceInJournal } from "./direct-edit.ts";
import { judgeAudit } from "./judge.ts";
import { OBS } from "./observations.ts";
import { auditJournal, auditTopics, countTransactions } from "./read-logs.ts";

/**
 * audit.intent: "For each change: which operation, who, why, when?" Every subject gets the same
 * workload, every command naming its actor and most giving a reason; then an operator changes a
 * price with SQL behind the application's back. Each design's log is read back and compared,
 * change by change, with what the runner knows it asked for.
 */
const CART_PREFIX = "cart-";
const CATCH_UP_TIMEOUT_MS = 60_000;

export const auditIntent: Scenario<AuditState> = {
  id: "audit.intent",
  claim: "For each change: which operation, who, why, when? Each design's log is read back change by change, with an operator's direct SQL edit among them.",
  subjects: ["es", "cdc-plain", "cdc-intent", "cdc-default"],
  init(run) {
    const scale = SIZES[run.size];
    const workload = workloadWithReasons(generateCartWorkload({ seed: run.seed, carts: 5 * scale, commands: 120 * scale, cartPrefix: CART_PREFIX }), run.seed + 1);
    const { expected, target } = expectedChanges(workload);
    return { workload, expected, target, directEditTx: new Map() };
  },
  steps: [
    {
      actor: "app",
      does: "applies the workload to every subject, every command naming its actor and most a reason",
      run: (context) =>
        context.each(async (subject) => {
          // Rejections are part of the workload; the record already knows which commands write.
          for (const entry of context.state.workload) await subject.driver.apply(entry.command, entry.metadata);
        }),
    },
    {
      actor: "operator",
      does: "reprices a line with SQL behind the application's back (the journal refuses; the ES read model does not)",
      run: (context) =>
        context.each((subject) =>
          byDesign(subject.driver, {
            es: (journal) => repriceInJournal(context, journal),
            crud: (tables) => repriceInCrudTables(context, tables),
            cdc: (tables) => repriceInCrudTables(context, tables),
          }),
        ),
    },
    {
      actor: "debezium",
      does: "streams every change, the operator's included, to Kafka (waits until the topics hold them all)",
      run: (context) =>
        context.each((subject) =>
          forCdc(subject.driver, async (cdc) => {
              const { cartId } = requireTarget(context.state);
              const directTx = context.state.directEditTx.get(cdc.spec.id);
              const made = [...context.state.expected.values()].reduce((sum, changes) => sum + changes.length, 0);
              await waitFor(
                async () => {
                  const history = await cdc.history();
                  const edited = (history.get(cartId) ?? []).some((transaction) => transaction.txId === directTx);
                  return edited && countTransactions(history, directTx ?? -1) >= made ? true : undefined;
                },
                { what: `${cdc.spec.id}'s topics to hold every change and the operator's edit`, timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 500 },
              );
            }),
        ),
    },
    {
      actor: "operator",
      does: "reads each design's log back: operation, actor, reason and time of every change",
      run: (context) =>
        context.each((subject) =>
          byDesign(subject.driver, {
            es: (journal) => auditJournal(context, journal),
            crud: () => Promise.reject(new LabError("Unsupported", "the CRUD tables alone keep no log of changes to read back")),
            cdc: (cdc) => auditTopics(context, cdc),
          }),
        ),
    },
  ],
  judge: judgeAudit,
  headline: { observation: OBS.actorKnownPercent, label: "changes with a known actor (%)" },
};
