import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LIVE_PAGE_HTML, LIVE_PAGE_SECURITY_POLICY } from "../../../services/http-api/live-page.ts";

const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

describe("the live page", () => {
  it("is one document: no external script, style, font or image", () => {
    expect(LIVE_PAGE_HTML).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//);
  });

  it("allows by hash exactly its inline script and style, and connections to its own origin only", () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(LIVE_PAGE_HTML)?.[1] ?? "";
    const style = /<style>([\s\S]*?)<\/style>/.exec(LIVE_PAGE_HTML)?.[1] ?? "";
    expect(script.length).toBeGreaterThan(1000);
    expect(LIVE_PAGE_SECURITY_POLICY).toContain(`script-src ${hash(script)}`);
    expect(LIVE_PAGE_SECURITY_POLICY).toContain(`style-src ${hash(style)}`);
    expect(LIVE_PAGE_SECURITY_POLICY).toContain("default-src 'none'");
    expect(LIVE_PAGE_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(LIVE_PAGE_SECURITY_POLICY).not.toContain("unsafe-inline");
  });

  it("writes server data as text, never as markup", () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(LIVE_PAGE_HTML)?.[1] ?? "";
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
