import type { AnyStore } from "@synced-store/core";
import { lazy, Suspense, type ComponentType } from "react";

// Behind `import.meta.env.DEV`, which a production build replaces with `false`: the import is
// then dead code, and the bundle holds nothing of the devtools (checked by bundle.e2e.ts).
const Devtools = import.meta.env.DEV
  ? lazy<ComponentType<{ stores: readonly AnyStore[] }>>(() =>
      import("@synced-store/devtools").then(
        (m) => ({ default: m.SyncedStoreDevtools }),
        // Loading it failed (offline before it was ever loaded): the app runs on without it.
        () => ({ default: () => null }),
      ),
    )
  : null;

/** The Synced-Store devtools over `stores`, in development (`pnpm dev`) only. */
export function DevPanel({ stores }: { stores: readonly AnyStore[] }) {
  if (Devtools === null) return null;
  return (
    <Suspense fallback={null}>
      <Devtools stores={stores} />
    </Suspense>
  );
}
