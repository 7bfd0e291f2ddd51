"use client";
// A short-lived notice at the bottom of the screen with an Undo action (status changes: the write-back waits
// until it is gone). It stays while focused or hovered only for as long as the server still allows the undo.
import { useEffect, useState } from "react";
import { Button } from "./button";

export function UndoToast({
  message,
  seconds,
  onUndo,
  onDone,
  undoing,
}: {
  message: React.ReactNode;
  /** How long Undo stays possible, from now (the server's undo window). */
  seconds: number;
  onUndo: () => void;
  onDone: () => void;
  undoing: boolean;
}) {
  // A second short of the server's window, so an Undo pressed at the last moment still arrives in time.
  const [until] = useState(() => Date.now() + Math.max(0, seconds - 1) * 1000);
  const [left, setLeft] = useState(Math.max(0, seconds - 1));
  useEffect(() => {
    const timer = setInterval(() => {
      const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(seconds);
      if (seconds === 0) onDone();
    }, 250);
    return () => clearInterval(timer);
  }, [until, onDone]);
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="undo-toast"
      className="fixed right-4 bottom-4 z-50 flex max-w-[min(92vw,28rem)] items-center gap-3 rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-xl"
    >
      <span className="min-w-0 flex-1">{message}</span>
      <Button size="sm" variant="secondary" onClick={onUndo} disabled={undoing || left === 0}>
        {undoing ? "Undoing…" : `Undo (${left}s)`}
      </Button>
    </div>
  );
}
