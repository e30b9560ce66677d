/**
 * A message's reactions, under its text: a toggle button per emoji named by its name and
 * count ("thumbsup 2"), pressed when the reader is among those who reacted; pressing gives
 * or takes back the reader's reaction (at once: chatWrites.ts). Hovering or focusing one
 * tells who reacted, by name.
 */
import { type ReactElement, useId } from "react";
import type { Reaction } from "../../../../functions/domain/projections/reactions";
import { emojiGlyph } from "../../emoji/emojiNames";
import { reactedBy } from "../../emoji/reactedBy";
import { useChat } from "../context";
import "./reactions.css";

export interface ReactionBarProps {
  reactions: readonly Reaction[];
  /** Whether the reader may react (a member, on a message stored and not deleted). */
  canReact: boolean;
  onToggle(emoji: string, add: boolean): void;
}

export function ReactionBar({ reactions, canReact, onToggle }: ReactionBarProps): ReactElement | null {
  const meId = useChat((s) => s.me.userId);
  const users = useChat((s) => s.users);
  if (reactions.length === 0) return null;
  return (
    <ul className="reactions" aria-label="Reactions">
      {reactions.map((r) => (
        <ReactionButton key={r.emoji} reaction={r} mine={r.userIds.includes(meId)} who={reactedBy(r.userIds, r.emoji, meId, (id) => users.get(id))} disabled={!canReact} onToggle={onToggle} />
      ))}
    </ul>
  );
}

function ReactionButton({ reaction, mine, who, disabled, onToggle }: { reaction: Reaction; mine: boolean; who: string; disabled: boolean; onToggle(emoji: string, add: boolean): void }): ReactElement {
  const tip = useId();
  const glyph = emojiGlyph(reaction.emoji);
  return (
    <li className="reaction">
      <button
        type="button"
        className={mine ? "reaction-toggle is-mine" : "reaction-toggle"}
        aria-label={`${reaction.emoji} ${reaction.count}`}
        aria-pressed={mine}
        aria-describedby={tip}
        aria-disabled={disabled || undefined}
        onClick={() => !disabled && onToggle(reaction.emoji, !mine)}
      >
        <span className="reaction-glyph" aria-hidden="true">
          {glyph ?? `:${reaction.emoji}:`}
        </span>
        <span className="reaction-count" aria-hidden="true">
          {reaction.count}
        </span>
      </button>
      <span role="tooltip" id={tip} className="reaction-tip">
        {who}
      </span>
    </li>
  );
}
