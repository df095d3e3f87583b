import type { AnyStore, Inspection, StoreInspector } from "@synced-store/core";
import { useMemo, useState } from "react";
import { STYLES } from "./styles.js";
import { DataTab } from "./tabs/data-tab.js";
import { NetworkTab } from "./tabs/network-tab.js";
import { PendingTab } from "./tabs/pending-tab.js";
import { presenceOf, PresenceTab } from "./tabs/presence-tab.js";
import { RejectionsTab } from "./tabs/rejections-tab.js";
import { SubscriptionsTab } from "./tabs/subscriptions-tab.js";
import { useInspection } from "./use-inspection.js";

/** Props of {@link SyncedStoreDevtools}. */
export interface SyncedStoreDevtoolsProps {
  /** The stores to inspect (a picker chooses among several). */
  readonly stores: readonly AnyStore[];
  /** Open the panel at once instead of showing only the toggle. @default false */
  readonly initialIsOpen?: boolean;
}

type Tab = "data" | "pending" | "rejections" | "subscriptions" | "network" | "presence";

/**
 * The Synced-Store devtools: a small handle on the page's left edge (out of the way of corner
 * toasts and bottom bars) that opens a panel over the bottom of the page,
 * showing the picked store's data, pending mutations, rejections, subscriptions, network log and
 * (when the store declares presence) presence. Mount it in development only.
 */
export function SyncedStoreDevtools({ stores, initialIsOpen = false }: SyncedStoreDevtoolsProps) {
  const [open, setOpen] = useState(initialIsOpen);
  const [picked, setPicked] = useState<string | null>(null);
  const store = stores.find((s) => s.spaceId === picked) ?? stores[stores.length - 1];
  return (
    <>
      <style>{STYLES}</style>
      {!open && (
        <button
          className="ssd-toggle"
          aria-label="SS: open Synced-Store devtools"
          title="Synced-Store devtools"
          onClick={() => setOpen(true)}
        >
          SS
        </button>
      )}
      {open && store && (
        <Panel
          key={store.spaceId}
          store={store}
          stores={stores}
          onPick={setPicked}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

interface PanelProps {
  readonly store: AnyStore;
  readonly stores: readonly AnyStore[];
  readonly onPick: (spaceId: string) => void;
  readonly onClose: () => void;
}

function Panel({ store, stores, onPick, onClose }: PanelProps) {
  // Recording starts with the first call; the store keeps recording until it closes.
  const inspector = useMemo(() => store.inspect(), [store]);
  const inspection = useInspection(inspector);
  const presence = presenceOf(store);
  const [tab, setTab] = useState<Tab>("data");
  const tabs: Array<[Tab, string, number | undefined]> = [
    ["data", "Data", undefined],
    ["pending", "Pending", inspection.pending.length],
    ["rejections", "Rejections", inspection.rejections.length],
    ["subscriptions", "Subscriptions", inspection.subscriptions.length],
    ["network", "Network", undefined],
    ...(presence ? ([["presence", "Presence", undefined]] as Array<[Tab, string, undefined]>) : []),
  ];
  return (
    <section className="ssd" aria-label="Synced-Store devtools">
      <div className="ssd-bar">
        <span className="ssd-title">Synced-Store</span>
        <select aria-label="Store" value={store.spaceId} onChange={(e) => onPick(e.target.value)}>
          {stores.map((s) => (
            <option key={s.spaceId} value={s.spaceId}>
              {s.spaceId}
            </option>
          ))}
        </select>
        <div className="ssd-tabs" role="tablist">
          {tabs.map(([id, label, count]) => (
            <button
              key={id}
              role="tab"
              className="ssd-tab"
              aria-selected={tab === id}
              onClick={() => setTab(id)}
            >
              {label}
              {count !== undefined && (
                <span className={`ssd-count${id === "rejections" && count > 0 ? " ssd-bad" : ""}`}>
                  {count}
                </span>
              )}
            </button>
          ))}
        </div>
        <button className="ssd-btn" onClick={onClose}>
          Close
        </button>
      </div>
      <Summary inspection={inspection} />
      <div className="ssd-body" role="tabpanel">
        <TabBody tab={tab} inspector={inspector} inspection={inspection} presence={presence} />
      </div>
    </section>
  );
}

function Summary({ inspection: i }: { inspection: Inspection }) {
  const state = i.status.connection;
  return (
    <div className="ssd-meta" style={{ padding: "4px 8px", margin: 0 }} data-testid="ssd-summary">
      <span>
        <b className={state === "online" ? "ssd-ok" : state === "offline" ? "ssd-err" : ""}>{state}</b>
      </span>
      <span>
        space <b>{i.spaceId}</b>
      </span>
      <span>
        user <b>{i.userId}</b>
      </span>
      <span>
        client <b className="ssd-mono">{i.clientId}</b>
      </span>
      <span>
        base <b>v{i.baseVersion}</b>
      </span>
      <span>
        last ack <b>#{i.lastAcknowledgedId}</b>
      </span>
      <span>
        history <b className="ssd-mono">{i.historyId ?? "none yet"}</b>
      </span>
      {i.status.lastError && <span className="ssd-err">{i.status.lastError.message}</span>}
    </div>
  );
}

function TabBody(props: {
  tab: Tab;
  inspector: StoreInspector;
  inspection: Inspection;
  presence: ReturnType<typeof presenceOf>;
}) {
  const { tab, inspector, inspection, presence } = props;
  switch (tab) {
    case "data":
      return <DataTab inspector={inspector} inspection={inspection} />;
    case "pending":
      return <PendingTab inspection={inspection} />;
    case "rejections":
      return <RejectionsTab inspection={inspection} />;
    case "subscriptions":
      return <SubscriptionsTab inspection={inspection} />;
    case "network":
      return <NetworkTab inspector={inspector} inspection={inspection} />;
    case "presence":
      return presence ? <PresenceTab presence={presence} /> : null;
  }
}
