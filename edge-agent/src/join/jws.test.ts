import { describe, expect, it } from "vitest";
import { signDetachedJws, verifyDetachedJws } from "./jws.js";

describe("cluster-info JWS", () => {
  const content = "apiVersion: v1\nkind: Config\n";
  it("accepts the signature made with the token secret", () => {
    const jws = signDetachedJws(content, "abcdef", "0123456789abcdef");
    expect(verifyDetachedJws(jws, content, "abcdef", "0123456789abcdef")).toBe("valid");
  });
  it("refuses another secret, other content and another token id", () => {
    const jws = signDetachedJws(content, "abcdef", "0123456789abcdef");
    expect(verifyDetachedJws(jws, content, "abcdef", "fedcba9876543210")).toBe("bad-signature");
    expect(verifyDetachedJws(jws, content + " ", "abcdef", "0123456789abcdef")).toBe(
      "bad-signature",
    );
    expect(verifyDetachedJws(jws, content, "zzzzzz", "0123456789abcdef")).toBe("malformed");
    expect(verifyDetachedJws("garbage", content, "abcdef", "0123456789abcdef")).toBe("malformed");
  });
});
