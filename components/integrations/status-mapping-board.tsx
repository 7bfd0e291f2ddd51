"use client";
// The status mapping board: another system's statuses (chips) dragged onto Postura status rows, with the mouse or the
// keyboard. One board for every integration: Salt's and Snapsec VM's vocabularies are below.
import {
  type CollisionDetection,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  KeyboardCode,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  type UniqueIdentifier,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { arrayMove, rectSortingStrategy, SortableContext, sortableKeyboardCoordinates, useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GripVertical, RotateCcw } from "lucide-react";
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { Button } from "@/components/ui/button";
import { defaultStatusMapping, saltStatuses } from "@/db/schema/integrations";
import { defaultVmStatusMapping, vmThreatStatuses } from "@/db/schema/forwarding-settings";
import { issueStatuses, issueStatusLabels, type IssueStatus } from "@/db/schema/vocabulary";
import { statusMappingWarnings, vmStatusMappingWarnings } from "@/lib/integration-wizard";
import { Notice } from "./notice";

type SaltStatus = string;
type RowId = IssueStatus | "unmapped";
type Board = Record<RowId, SaltStatus[]>;
/** Postura status → the other system's statuses, in order (the first is the one sent). */
export type StatusMapping = Partial<Record<IssueStatus, string[]>>;

/** What the board says about the other system's statuses. */
export type StatusVocabulary = {
  id: string;
  /** "Salt", "Snapsec VM": as in "Salt status Open". */
  name: string;
  heading: string;
  statuses: readonly string[];
  defaultMapping: StatusMapping;
  warnings: (mapping: StatusMapping) => string[];
  /** The first chip's badge and its description. */
  firstBadge: string;
  firstDescription: string;
};

export const saltVocabulary: StatusVocabulary = {
  id: "salt",
  name: "Salt",
  heading: "Salt Security statuses",
  statuses: saltStatuses,
  defaultMapping: defaultStatusMapping,
  warnings: (m) => statusMappingWarnings(m as Parameters<typeof statusMappingWarnings>[0]),
  firstBadge: "write-back",
  firstDescription: "First in its row: the status written back to Salt",
};

export const vmVocabulary: StatusVocabulary = {
  id: "snapsec-vm",
  name: "Snapsec VM",
  heading: "Snapsec VM statuses",
  statuses: vmThreatStatuses,
  defaultMapping: defaultVmStatusMapping,
  warnings: (m) => vmStatusMappingWarnings(m as Parameters<typeof vmStatusMappingWarnings>[0]),
  firstBadge: "sent",
  firstDescription: "First in its row: the status sent to Snapsec VM",
};

const VocabularyContext = createContext<StatusVocabulary>(saltVocabulary);
const unmappedLabel = (v: StatusVocabulary) => `Unmapped ${v.name} statuses`;

/** Rows top to bottom, as ArrowUp / ArrowDown walk them: every row, empty or not, then the tray. */
const rowOrder: readonly RowId[] = [...issueStatuses, "unmapped"];

/**
 * Under the pointer first: it does not move when the rows do, so the answer is stable while dragging with a mouse.
 * The keyboard has no pointer: overlap of the moved chip, then corners (rows are wide and chips small, so corner
 * distance alone would prefer the chip's own starting place over the row it was moved onto).
 */
const pointerThenOverlap: CollisionDetection = (args) => {
  const underPointer = args.pointerCoordinates ? pointerWithin(args) : [];
  if (underPointer.length > 0) return underPointer;
  const overlapping = rectIntersection(args);
  return overlapping.length > 0 ? overlapping : closestCorners(args);
};

export function boardFromMapping(mapping: StatusMapping, vocabulary: StatusVocabulary = saltVocabulary): Board {
  const board = { unmapped: [] } as unknown as Board;
  const placed = new Set<SaltStatus>();
  for (const status of issueStatuses) {
    board[status] = (mapping[status] ?? []).filter((s) => !placed.has(s));
    board[status].forEach((s) => placed.add(s));
  }
  board.unmapped = vocabulary.statuses.filter((s) => !placed.has(s));
  return board;
}

export function mappingFromBoard(board: Board): StatusMapping {
  return Object.fromEntries(issueStatuses.map((s) => [s, [...board[s]]])) as StatusMapping;
}

function rowLabel(row: RowId, vocabulary: StatusVocabulary): string {
  return row === "unmapped" ? unmappedLabel(vocabulary) : issueStatusLabels[row];
}

function isRowId(id: UniqueIdentifier): id is RowId {
  return id === "unmapped" || (issueStatuses as readonly UniqueIdentifier[]).includes(id);
}

/** The row a chip (or a row id) is in. */
function rowOf(id: UniqueIdentifier, board: Board): RowId | null {
  if (isRowId(id)) return id;
  return rowOrder.find((row) => board[row].includes(id as SaltStatus)) ?? null;
}

export function StatusMappingBoard({
  value,
  onChange,
  vocabulary = saltVocabulary,
}: {
  value: StatusMapping;
  onChange: (mapping: StatusMapping) => void;
  vocabulary?: StatusVocabulary;
}) {
  const board = boardFromMapping(value, vocabulary);
  const [active, setActive] = useState<SaltStatus | null>(null);
  // Where the chip was picked up, to put it back on cancel and to say so.
  const [origin, setOrigin] = useState<Board | null>(null);
  // The board as last committed. Drag events and announcements can fire before React renders a move, and must
  // not act on (or announce) the board from before it.
  const latest = useRef(board);
  useLayoutEffect(() => {
    latest.current = boardFromMapping(value, vocabulary);
  }, [value, vocabulary]);
  // Right after a chip changes rows the rows re-measure; until the next frame the chip stays where it was put.
  // Without this, a layout shift under the pointer (at the bottom of a scrolled page, say) moved it straight
  // back, and back again, until React stopped with "maximum update depth exceeded".
  const justMoved = useRef(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      justMoved.current = false;
    });
    return () => cancelAnimationFrame(frame);
  }, [value]);

  const collisionDetection: CollisionDetection = useCallback(
    (args) => (justMoved.current ? [{ id: args.active.id }] : pointerThenOverlap(args)),
    [],
  );

  // ArrowUp / ArrowDown go to the next row in order, empty ones included; Left / Right move within the row.
  const coordinateGetter: KeyboardCoordinateGetter = useCallback((event, args) => {
    const step = event.code === KeyboardCode.Up ? -1 : event.code === KeyboardCode.Down ? 1 : 0;
    if (step === 0) return sortableKeyboardCoordinates(event, args);
    event.preventDefault();
    const { active: a, droppableRects } = args.context;
    const from = a ? rowOf(a.id, latest.current) : null;
    const target = from ? rowOrder[rowOrder.indexOf(from) + step] : undefined;
    const rect = target ? droppableRects.get(target) : undefined;
    return rect ? { x: rect.left, y: rect.top } : undefined;
  }, []);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter }),
  );

  const where = (status: UniqueIdentifier, b: Board = latest.current) => {
    const row = rowOf(status, b);
    if (!row) return "";
    const position = b[row].indexOf(status as SaltStatus) + 1;
    return `${rowLabel(row, vocabulary)}, position ${position} of ${b[row].length}`;
  };
  const commit = (next: Board) => {
    latest.current = next;
    onChange(mappingFromBoard(next));
  };

  function onDragStart({ active: a }: DragStartEvent) {
    setActive(a.id as SaltStatus);
    setOrigin(latest.current);
  }

  // Moving between rows happens while dragging, so the chip shows where it will land. Only a change of row moves it.
  function onDragOver({ active: a, over }: DragOverEvent) {
    if (!over) return;
    const current = latest.current;
    const from = rowOf(a.id, current);
    const to = rowOf(over.id, current);
    if (!from || !to || from === to) return;
    const overIndex = isRowId(over.id) ? current[to].length : current[to].indexOf(over.id as SaltStatus);
    const next = { ...current, [from]: current[from].filter((s) => s !== a.id), [to]: [...current[to]] };
    next[to].splice(overIndex < 0 ? next[to].length : overIndex, 0, a.id as SaltStatus);
    justMoved.current = true;
    commit(next);
  }

  function onDragEnd({ active: a, over }: DragEndEvent) {
    setActive(null);
    setOrigin(null);
    if (!over) return;
    const current = latest.current;
    const row = rowOf(a.id, current);
    if (!row || row !== rowOf(over.id, current) || isRowId(over.id)) return;
    const from = current[row].indexOf(a.id as SaltStatus);
    const to = current[row].indexOf(over.id as SaltStatus);
    if (from !== to) commit({ ...current, [row]: arrayMove(current[row], from, to) });
  }

  function onDragCancel() {
    if (origin) commit(origin);
    setActive(null);
    setOrigin(null);
  }

  // While a chip is being dragged the warnings stay as they were at pick-up: one appearing or going away below the
  // board changes the page's height, and at the bottom of a scrolled page that moves the rows under the pointer.
  const warnings = vocabulary.warnings(mappingFromBoard(origin ?? board));
  const name = vocabulary.name;

  return (
    <VocabularyContext.Provider value={vocabulary}>
      <div className="space-y-4">
      <DndContext
        id={`${vocabulary.id}-status-mapping`}
        sensors={sensors}
        collisionDetection={collisionDetection}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
        accessibility={{
          screenReaderInstructions: {
            draggable:
              `To pick up a ${name} status, press Space or Enter. Use the arrow keys to move it to another Postura status row or within its row. Press Space or Enter again to drop it, or Escape to cancel.`,
          },
          announcements: {
            onDragStart: ({ active: a }) => `Picked up ${name} status ${a.id}, in ${where(a.id)}.`,
            // Named from the board the chip is shown in now: a move between rows is committed before this runs.
            // Over itself (right after pick-up, or right after a move): what was said last still holds.
            onDragOver: ({ active: a, over }) =>
              over?.id === a.id ? undefined : over ? `${name} status ${a.id} is in ${where(a.id)}.` : `${name} status ${a.id} is not over a row.`,
            onDragEnd: ({ active: a, over }) =>
              over ? `Dropped ${name} status ${a.id} in ${where(a.id)}.` : `${name} status ${a.id} was dropped outside the board.`,
            onDragCancel: ({ active: a }) => `Cancelled. ${name} status ${a.id} is back in ${origin ? where(a.id, origin) : "its row"}.`,
          },
        }}
      >
        <div className="overflow-hidden rounded-lg border border-slate-200">
          <div className="grid grid-cols-[12rem_1fr] border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <span>Postura status</span>
            <span>{vocabulary.heading}</span>
          </div>
          <ul className="divide-y divide-slate-100">
            {issueStatuses.map((status) => (
              <li key={status} className="grid grid-cols-[12rem_1fr] items-center gap-2 px-4 py-2.5">
                <span className="text-sm font-medium text-slate-900">{issueStatusLabels[status]}</span>
                <DropRow id={status} items={board[status]} activeId={active} emptyText={`No ${name} status: not synced`} />
              </li>
            ))}
          </ul>
        </div>
        <div className="rounded-lg border border-dashed border-slate-300 bg-slate-50/60 px-4 py-3">
          <p className="mb-2 text-sm font-medium text-slate-800">{unmappedLabel(vocabulary)}</p>
          <DropRow id="unmapped" items={board.unmapped} activeId={active} emptyText={`Every ${name} status is mapped`} tray />
        </div>
        <DragOverlay>{active ? <ChipFace status={active} lifted /> : null}</DragOverlay>
      </DndContext>

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 space-y-2">
          {warnings.map((w) => (
            <Notice key={w} tone="warning" live="none">
              {w}
            </Notice>
          ))}
        </div>
        <Button type="button" variant="secondary" onClick={() => onChange(vocabulary.defaultMapping)}>
          <RotateCcw aria-hidden />
          Reset to default
        </Button>
      </div>
      </div>
    </VocabularyContext.Provider>
  );
}

function DropRow({ id, items, activeId, emptyText, tray }: { id: RowId; items: SaltStatus[]; activeId: SaltStatus | null; emptyText: string; tray?: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  const vocabulary = useContext(VocabularyContext);
  return (
    <SortableContext id={id} items={items} strategy={rectSortingStrategy}>
      <div
        ref={setNodeRef}
        role="group"
        aria-label={rowLabel(id, vocabulary)}
        className={cn(
          "flex min-h-11 flex-wrap items-center gap-2 rounded-md border px-2 py-1.5 transition-colors",
          isOver ? "border-brand-500 bg-brand-50" : items.length === 0 && !tray ? "border-dashed border-amber-300 bg-amber-50/40" : "border-transparent",
          tray && !isOver && "border-transparent bg-transparent px-0",
        )}
      >
        {items.map((status, index) => (
          <Chip key={status} status={status} first={index === 0 && id !== "unmapped" && items.length > 1} dimmed={activeId === status} />
        ))}
        {/* As tall as a chip: an emptied row must not shrink, or the rows below it move under the pointer. */}
        {items.length === 0 ? <span className="inline-flex h-8 items-center px-1 text-xs text-slate-500">{emptyText}</span> : null}
      </div>
    </SortableContext>
  );
}

function Chip({ status, first, dimmed }: { status: SaltStatus; first: boolean; dimmed: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition } = useSortable({ id: status });
  const vocabulary = useContext(VocabularyContext);
  return (
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn("touch-none rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600", dimmed && "opacity-40")}
      {...attributes}
      {...listeners}
      // The visible badge is part of the name (axe: label-content-name-mismatch).
      aria-label={first ? `${status} ${vocabulary.firstBadge}` : status}
      aria-description={first ? vocabulary.firstDescription : undefined}
    >
      <ChipFace status={status} first={first} />
    </div>
  );
}

function ChipFace({ status, first, lifted }: { status: SaltStatus; first?: boolean; lifted?: boolean }) {
  const vocabulary = useContext(VocabularyContext);
  return (
    <span
      className={cn(
        "inline-flex h-8 cursor-grab items-center gap-1.5 rounded-md border border-slate-300 bg-white pr-3 pl-1.5 text-sm font-medium text-slate-800 shadow-sm select-none",
        lifted && "cursor-grabbing border-brand-500 shadow-lg ring-2 ring-brand-500/20",
      )}
    >
      <GripVertical aria-hidden className="size-4 text-slate-400" />
      {status}
      {first ? " " : null}
      {first ? <span className="ml-1 rounded bg-brand-50 px-1.5 py-0.5 text-[11px] font-medium text-brand-700">{vocabulary.firstBadge}</span> : null}
    </span>
  );
}
