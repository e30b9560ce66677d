/**
 * The reaction picker: a dialog named "Add reaction" with a searchbox "Search emoji" (focused)
 * and a button per emoji named by its Slack name. Enter picks the first match; Escape closes,
 * and focus goes back to the opener. The first `shown` matches are drawn; a search narrows them.
 */
import { type ReactElement, useMemo, useState } from "react";
import { searchEmoji } from "../../emoji/emojiNames";
import { Icon } from "../icons";
import { Modal } from "../Modal";
import "./reactions.css";

const shown = 240;

export function EmojiPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(): void }): ReactElement {
  const [query, setQuery] = useState("");
  const found = useMemo(() => searchEmoji(query, shown + 1), [query]);
  const more = found.length > shown;
  const list = more ? found.slice(0, shown) : found;
  return (
    <Modal title="Add reaction" onClose={onClose} className="emoji-picker">
      <div className="search">
        <Icon name="search" size={16} />
        <input
          type="search"
          aria-label="Search emoji"
          placeholder="Search emoji"
          value={query}
          data-autofocus
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && list[0]) {
              e.preventDefault();
              onPick(list[0].name);
            }
          }}
        />
      </div>
      {list.length === 0 ? (
        <p className="emoji-none" role="status">
          No emoji match “{query}”.
        </p>
      ) : (
        <ul className="emoji-grid" aria-label="Emoji">
          {list.map((e) => (
            <li key={e.name}>
              <button type="button" className="emoji-choice" aria-label={e.name} title={`:${e.name}:`} onClick={() => onPick(e.name)}>
                <span aria-hidden="true">{e.glyph}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {more && <p className="emoji-more">Type to find more.</p>}
    </Modal>
  );
}
