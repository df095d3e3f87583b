/**
 * React over a real store in jsdom: 1,000 rows, each subscribed to its own todo, plus a counter
 * over the whole list. A write to one todo must re-render that row only; how long from `mutate`
 * to the committed DOM.
 */
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><div id=root></div>");
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  navigator: dom.window.navigator,
  IS_REACT_ACT_ENVIRONMENT: true,
});

const { createStore, defineStore } = await import("@synced-store/core");
const { act, createElement: h } = await import("react");
const { createRoot } = await import("react-dom/client");
const { z } = await import("zod");
const { report, summarize } = await import("../../../scripts/bench-kit.js");
const { StoreProvider } = await import("./store-provider.js");
const { useSubscribe } = await import("./use-subscribe.js");

const ROWS = 1000;
const WRITES = 200;
const def = defineStore({ name: "bench", keys: { "todos/*": z.object({ text: z.string() }) } }).mutators({
  put: {
    args: z.object({ id: z.string(), text: z.string() }),
    run: (tx, a) => tx.set(`todos/${a.id}`, { text: a.text }),
  },
});
const store = createStore(def, { space: "s", userId: "u" });
for (let i = 0; i < ROWS; i++) await store.mutate.put({ id: `t${i}`, text: "start" });

const rowRenders = new Array<number>(ROWS).fill(0);
let countRenders = 0;
function Row({ i }: { i: number }) {
  rowRenders[i]!++;
  const todo = useSubscribe((tx) => tx.get(`todos/t${i}`), [i], { store });
  return h("li", { id: `r${i}` }, todo?.text ?? "…");
}
function Count() {
  countRenders++;
  const n = useSubscribe(async (tx) => (await tx.scan({ prefix: "todos/" })).length, [], {
    store,
    default: 0,
  });
  return h("p", null, `${n} todos`);
}
function App() {
  return h(
    StoreProvider<typeof def>,
    { store },
    h(Count),
    h("ul", null, ...Array.from({ length: ROWS }, (_, i) => h(Row, { i, key: i }))),
  );
}

const root = createRoot(document.getElementById("root")!);
const mountStart = performance.now();
await act(async () => {
  root.render(h(App));
  await store.ready;
});
// Let every row receive its first result.
for (let i = 0; i < 50 && document.getElementById(`r${ROWS - 1}`)?.textContent !== "start"; i++) {
  await act(() => new Promise((resolve) => setTimeout(resolve, 1)));
}
const mountMs = performance.now() - mountStart;

const samples: number[] = [];
const rendersBefore = rowRenders.reduce((a, b) => a + b, 0);
const countBefore = countRenders;
for (let w = 0; w < WRITES; w++) {
  const i = (w * 7) % ROWS;
  const text = `write ${w}`;
  const t0 = performance.now();
  await act(() => store.mutate.put({ id: `t${i}`, text }));
  if (document.getElementById(`r${i}`)?.textContent !== text)
    throw new Error(`row ${i} did not show ${text}`);
  samples.push(performance.now() - t0);
}
const rowRendersPerWrite = (rowRenders.reduce((a, b) => a + b, 0) - rendersBefore) / WRITES;
await act(async () => {
  root.unmount();
  await store.close();
});

report("react-render", [
  {
    name: "write one of 1,000 subscribed rows → committed DOM",
    workload: `${ROWS} rows with useSubscribe(get todos/tN) + one scan counter; ${WRITES} writes to distinct rows; React development build (act), jsdom`,
    timing: summarize(samples),
    figures: {
      rowRendersPerWrite,
      counterRenders: countRenders - countBefore,
      mountAndFirstResultsMs: Math.round(mountMs),
    },
    target: "1 row render per write, no counter re-render (its result does not change)",
    met: rowRendersPerWrite === 1 && countRenders === countBefore,
  },
]);
