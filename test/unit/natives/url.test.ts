import { describe, expect, it } from "vitest";
import { T } from "../../../src/check/types.js";
import { hostMatches, hostOf, isPrivate } from "../../../src/natives/url.js";
import { call, sig, thrown } from "./helpers.js";

describe("url.valid, host, scheme, path", () => {
  it.each([
    // [url, valid, host, scheme, path]
    ["https://api.acme.com/v1/users?id=1#top", true, "api.acme.com", "https", "/v1/users"],
    ["HTTP://EXAMPLE.com./a/../b", true, "example.com", "http", "/b"],
    ["http://user:pw@host.internal:8080/p", true, "host.internal", "http", "/p"],
    ["http://münchen.de/straße", true, "xn--mnchen-3ya.de", "http", "/stra%C3%9Fe"],
    ["http://0x7f.1/", true, "127.0.0.1", "http", "/"],
    ["http://2130706433/", true, "127.0.0.1", "http", "/"],
    ["http://[::1]:3000/x", true, "[::1]", "http", "/x"],
    ["file:///etc/passwd", true, "", "file", "/etc/passwd"],
    ["s3://bucket/key/a%20b", true, "bucket", "s3", "/key/a%20b"],
    ["mailto:ops@acme.com", true, "", "mailto", "ops@acme.com"],
  ])("%s", (u, valid, host, scheme, path) => {
    expect(call("url.valid", u)).toBe(valid);
    expect(call("url.host", u)).toBe(host);
    expect(call("url.scheme", u)).toBe(scheme);
    expect(call("url.path", u)).toBe(path);
  });

  it.each(["", "acme.com", "/relative/path", "http://", "http://exa mple.com/", "https://[::1/"])(
    "%j is not a URL",
    (u) => {
      expect(call("url.valid", u)).toBe(false);
      expect(thrown(() => call("url.host", u))).toBe(`NativeError: cannot read \`${u}\` as a URL`);
    },
  );

  it("clips long inputs in messages", () => {
    expect(thrown(() => call("url.scheme", "x".repeat(200)))).toBe(
      `NativeError: cannot read \`${"x".repeat(77)}...\` as a URL`,
    );
  });
});

describe("url.host_matches", () => {
  it.each([
    ["api.acme.com", "*.acme.com", true],
    ["a.b.acme.com", "*.acme.com", true],
    ["acme.com", "*.acme.com", false],
    ["evilacme.com", "*.acme.com", false],
    ["acme.com.evil.io", "*.acme.com", false],
    ["ACME.com.", "acme.com", true],
    ["https://API.Acme.com:8443/x", "*.acme.com", true],
    ["https://acme.com@evil.io/", "acme.com", false],
    ["https://evil.io/?acme.com", "*.acme.com", false],
    ["xn--mnchen-3ya.de", "münchen.de", true],
    ["api.acme.com", "*", true],
    ["10.0.0.1:8080", "10.0.0.1", true],
  ])("host_matches(%j, %j) is %j", (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
    expect(call("url.host_matches", host, pattern)).toBe(expected);
  });

  it("rejects malformed patterns and hosts", () => {
    expect(thrown(() => hostMatches("a.com", "a*.com"))).toBe(
      "NativeError: host pattern `a*.com` may only start with `*.`",
    );
    expect(thrown(() => hostMatches("a b.com", "a.com"))).toBe(
      "NativeError: cannot read `a b.com` as a host",
    );
    expect(thrown(() => hostMatches("user@host", "host"))).toBe(
      "NativeError: cannot read `user@host` as a host",
    );
  });
});

describe("url.is_private", () => {
  it.each([
    ["http://127.0.0.1/", true],
    ["http://localhost:8080/admin", true],
    ["http://LOCALHOST./", true],
    ["http://app.localhost/", true],
    ["http://169.254.169.254/latest/meta-data/", true],
    ["http://metadata.google.internal/computeMetadata/v1/", true],
    ["http://10.1.2.3/", true],
    ["http://172.16.0.1/", true],
    ["http://172.31.255.255/", true],
    ["http://172.32.0.1/", false],
    ["http://192.168.1.1/", true],
    ["http://100.64.0.1/", true],
    ["http://0.0.0.0:8000/", true],
    ["http://0/", true],
    ["http://0x7f.1/", true],
    ["http://2130706433/", true],
    ["http://0177.0.0.1/", true],
    ["http://[::1]/", true],
    ["http://[::]/", true],
    ["http://[::ffff:127.0.0.1]/", true],
    ["http://[::ffff:7f00:1]/", true],
    ["http://[::ffff:8.8.8.8]/", false],
    ["http://[64:ff9b::a9fe:a9fe]/", true],
    ["http://[2002:c0a8:0101::1]/", true],
    ["http://[fd12:3456::1]/", true],
    ["http://[fe80::1]/", true],
    ["http://[2606:4700::1111]/", false],
    ["http://224.0.0.1/", true],
    ["http://255.255.255.255/", true],
    ["http://printer.local/", true],
    ["http://nas.home.arpa/", true],
    ["http://intranet/", true],
    ["foo://0x7f.1/x", true],
    ["file:///etc/passwd", true],
    ["https://example.com/", false],
    ["https://8.8.8.8/", false],
    ["https://1.1.1.1/dns-query", false],
    ["mailto:a@example.com", false],
    ["10.0.0.5", true],
    ["::1", true],
    ["api.acme.com:443", false],
  ])("is_private(%j) is %j", (u, expected) => {
    expect(isPrivate(u)).toBe(expected);
    expect(call("url.is_private", u)).toBe(expected);
  });

  it("reads hosts like an HTTP client", () => {
    expect(hostOf("http://0x7f.1/").host).toBe("127.0.0.1");
    expect(hostOf("[::ffff:127.0.0.1]").host).toBe("[::ffff:7f00:1]");
    expect(thrown(() => isPrivate("http://[fe80::1%25eth0]/"))).toMatch(/^NativeError: cannot read/);
  });

  it("types", () => {
    expect(sig("url.is_private", T.string)).toEqual({ ok: true, result: T.bool });
    expect(sig("url.host_matches", T.string, T.number)).toEqual({
      ok: false,
      message: "expected `string`, found `number`",
      arg: 1,
    });
  });
});
