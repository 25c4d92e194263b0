// Unit tests of static/js/signing.js, run with `node --test documents/js/tests/` (documents/tests/test_signing_js.py
// runs them from pytest). CryptoProSigner against a stand-in of the CryptoPro Browser plug-in's async API
// (cadesplugin: CreateObjectAsync, promise-valued properties, propset_*); Pkcs12Signer with the vendored
// PKI.js bundle and Node's WebCrypto on a PKCS#12 made by documents.pki (P12_PATH, P12_PASSWORD).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const nodeCrypto = require("node:crypto");
const vm = require("node:vm");

const STATIC = path.join(__dirname, "..", "..", "..", "static");
// Node 18 (Debian 12) has WebCrypto only as require("node:crypto").webcrypto.
if (!globalThis.crypto) globalThis.crypto = nodeCrypto.webcrypto;
const signing = require(path.join(STATIC, "js", "signing.js"));

const GOST_256 = "1.2.643.7.1.1.1.1";
const GOST_512 = "1.2.643.7.1.1.1.2";

/** A stand-in for window.cadesplugin: records what the signer asks of it. */
function standIn(certs) {
  const log = [];
  const plugin = {
    log,
    CAPICOM_CURRENT_USER_STORE: 2, CAPICOM_MY_STORE: "My", CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
    CADESCOM_ENCODE_BASE64: 0, CADESCOM_BASE64_TO_BINARY: 1,
    CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256: 101, CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512: 102,
    then(resolve) { resolve(); }, // `await cadesplugin` resolves once the plug-in is loaded
    async CreateObjectAsync(name) {
      log.push(["create", name]);
      if (name === "CAdESCOM.Store") {
        return {
          async Open(...args) { log.push(["open", ...args]); },
          get Certificates() {
            return Promise.resolve({
              get Count() { return Promise.resolve(certs.length); },
              async Item(i) { return certificate(certs[i - 1]); }, // 1-based, as in CAPICOM
            });
          },
          async Close() { log.push(["close"]); },
        };
      }
      if (name === "CAdESCOM.HashedData") {
        const hashed = { algorithm: null, encoding: null, data: null };
        return {
          hashed,
          async propset_Algorithm(value) { hashed.algorithm = value; },
          async propset_DataEncoding(value) { hashed.encoding = value; },
          async Hash(data) { hashed.data = data; log.push(["hash", hashed.algorithm, hashed.encoding, data]); },
        };
      }
      if (name === "CAdESCOM.RawSignature") {
        return {
          async SignHash(hashedObject, cert) {
            log.push(["signHash", hashedObject.hashed.algorithm, await cert.Thumbprint]);
            return "0102030405060708"; // CryptoAPI order (little-endian)
          },
        };
      }
      throw new Error("unknown object " + name);
    },
  };
  function certificate(spec) {
    return {
      get Thumbprint() { return Promise.resolve(spec.thumbprint); },
      get SubjectName() { return Promise.resolve(spec.subject); },
      get ValidToDate() { return Promise.resolve(spec.validTo || "01.01.2030"); },
      async HasPrivateKey() { return spec.hasKey !== false; },
      async Export(encoding) { log.push(["export", encoding]); return spec.der.toString("base64"); },
      async PublicKey() {
        return { get Algorithm() { return Promise.resolve({ get Value() { return Promise.resolve(spec.oid); } }); } };
      },
    };
  }
  return plugin;
}

const CERTS = [
  { thumbprint: "AA11", subject: "CN=Чуранов Василий Сергеевич", oid: GOST_256, der: Buffer.from([0x30, 0x03, 1, 2, 3]) },
  { thumbprint: "BB22", subject: "CN=Без ключа", oid: GOST_256, der: Buffer.from([0x30, 0]), hasKey: false },
  { thumbprint: "CC33", subject: "CN=Белокопытов", oid: GOST_512, der: Buffer.from([0x30, 0x01, 9]) },
  { thumbprint: "DD44", subject: "CN=RSA", oid: "1.2.840.113549.1.1.1", der: Buffer.from([0x30, 0]) },
];

test("CryptoProSigner.list gives the certificates with a private key", async () => {
  const plugin = standIn(CERTS);
  const list = await signing.CryptoProSigner.list(plugin);
  assert.deepEqual(list.map((c) => c.thumbprint), ["AA11", "CC33", "DD44"]);
  assert.equal(list[0].subject, "CN=Чуранов Василий Сергеевич");
  assert.deepEqual(plugin.log.find((e) => e[0] === "open"), ["open", 2, "My", 2]);
  assert.ok(plugin.log.some((e) => e[0] === "close"), "the store is closed");
});

test("CryptoProSigner exports the chosen certificate as DER", async () => {
  const plugin = standIn(CERTS);
  const signer = new signing.CryptoProSigner("aa11", { plugin }); // thumbprints compare case-insensitively
  const { certificate, chain } = await signer.certificate();
  assert.deepEqual(Array.from(certificate), [0x30, 0x03, 1, 2, 3]);
  assert.deepEqual(chain, []);
  assert.deepEqual(plugin.log.find((e) => e[0] === "export"), ["export", 0]);
});

test("CryptoProSigner hashes with ГОСТ Р 34.11-2012 in the plug-in and signs the hash (RawSignature.SignHash)", async () => {
  const plugin = standIn(CERTS);
  const signer = new signing.CryptoProSigner("AA11", { plugin });
  const data = new Uint8Array([0x31, 0x02, 0xAB, 0xCD]); // the signed attributes' DER
  const value = await signer.sign(data);
  const hash = plugin.log.find((e) => e[0] === "hash");
  assert.deepEqual(hash, ["hash", 101, 1, Buffer.from(data).toString("base64")]);
  assert.deepEqual(plugin.log.find((e) => e[0] === "signHash"), ["signHash", 101, "AA11"]);
  // CryptoAPI's little-endian value, reversed into CMS order.
  assert.deepEqual(Array.from(value), [8, 7, 6, 5, 4, 3, 2, 1]);
});

test("CryptoProSigner uses the 512-bit hash for a 512-bit key", async () => {
  const plugin = standIn(CERTS);
  await new signing.CryptoProSigner("CC33", { plugin }).sign(new Uint8Array([1]));
  assert.equal(plugin.log.find((e) => e[0] === "hash")[1], 102);
});

test("CryptoProSigner refuses a key that is not ГОСТ, an unknown certificate and a missing plug-in", async () => {
  const plugin = standIn(CERTS);
  await assert.rejects(new signing.CryptoProSigner("DD44", { plugin }).sign(new Uint8Array([1])), { code: "unsupported" });
  await assert.rejects(new signing.CryptoProSigner("FFFF", { plugin }).certificate(), { code: "no-certificate" });
  await assert.rejects(new signing.CryptoProSigner("", { plugin }).certificate(), { code: "no-certificate" });
  await assert.rejects(signing.CryptoProSigner.list(null), { code: "no-plugin" });
  const broken = { then(resolve) { resolve(); }, async CreateObjectAsync() { throw new Error("0x8007064A"); } };
  await assert.rejects(signing.CryptoProSigner.list(broken), { code: "no-plugin" });
});

test("ecdsaToDer turns r‖s into a DER SEQUENCE of two INTEGERs", () => {
  const raw = new Uint8Array(64);
  raw[0] = 0x80; raw[31] = 1; raw[32] = 0; raw[33] = 0; raw[63] = 7; // r has its high bit set, s leading zeros
  const der = signing.ecdsaToDer(raw);
  assert.equal(der[0], 0x30);
  assert.equal(der[2], 0x02);
  assert.equal(der[3], 33); // r gets a leading zero byte
  assert.equal(der[4], 0x00);
});

test("Pkcs12Signer opens a PKCS#12 locally and signs with WebCrypto", { skip: !process.env.P12_PATH }, async () => {
  // The bundle is a classic script (an IIFE that declares PortalPKCS12), as the page loads it.
  vm.runInThisContext(fs.readFileSync(path.join(STATIC, "vendor", "pkijs", "pkcs12.min.js"), "utf8") +
    ";globalThis.PortalPKCS12 = PortalPKCS12;");
  const context = { PortalPKCS12: globalThis.PortalPKCS12 };
  const file = fs.readFileSync(process.env.P12_PATH);
  const data = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);

  const wrong = new signing.Pkcs12Signer(data, "wrong", { pkcs12: context.PortalPKCS12, subtle: globalThis.crypto.subtle });
  await assert.rejects(wrong.certificate(), { code: "bad-password" });

  const signer = new signing.Pkcs12Signer(data, process.env.P12_PASSWORD,
    { pkcs12: context.PortalPKCS12, subtle: globalThis.crypto.subtle });
  const { certificate, chain } = await signer.certificate();
  const x509 = new nodeCrypto.X509Certificate(Buffer.from(certificate));
  assert.match(x509.subject, /CN=Чуранов Василий Сергеевич/);
  assert.equal(chain.length, 1); // the demo CA
  assert.equal(signer.password, null, "the password is dropped once the key is imported");
  const message = Buffer.from("signed attributes");
  const signature = await signer.sign(new Uint8Array(message));
  assert.equal(signature[0], 0x30, "DER, as CMS carries ECDSA");
  assert.ok(nodeCrypto.verify("sha256", message, { key: x509.publicKey, dsaEncoding: "der" }, Buffer.from(signature)));
});
