// Markdown that people typed (issue comments), rendered safely: react-markdown builds React elements from the
// Markdown syntax tree — raw HTML in the text is dropped (skipHtml), never injected — only everyday elements are
// allowed, links keep only http(s)/mailto URLs (react-markdown's default transform; others become plain text) and open in a
// new tab.
import ReactMarkdown from "react-markdown";

const allowedElements = ["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "hr"];

export function Markdown({ children }: { children: string }) {
  return (
    <div className="space-y-2 text-sm leading-6 break-words text-slate-800 [&_a]:text-brand-700 [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-[13px] [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-slate-100 [&_pre]:p-2 [&_ul]:list-disc [&_ul]:pl-5">
      <ReactMarkdown
        skipHtml
        allowedElements={allowedElements}
        unwrapDisallowed
        components={{
          // A link whose URL was dropped (javascript:, data:, …) stays as its text, not an empty link.
          a: ({ href, children: text }) =>
            href ? (
              <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                {text}
              </a>
            ) : (
              <span>{text}</span>
            ),
        }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
