import { useMutate } from "@synced-store/react";
import { Filter } from "../shared/schemas.js";

const LABELS: Record<Filter, string> = { all: "All", active: "Active", done: "Done" };

/** The user's view filter: a private key, so each user filters the shared list their own way. */
export function FilterBar({ filter }: { filter: Filter }) {
  const mutate = useMutate();
  return (
    <div className="filters" role="tablist" aria-label="Filter">
      {Filter.options.map((option) => (
        <button
          key={option}
          role="tab"
          aria-selected={option === filter}
          onClick={() => void mutate.setFilter(option)}
        >
          {LABELS[option]}
        </button>
      ))}
    </div>
  );
}
