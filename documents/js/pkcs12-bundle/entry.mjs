// Entry point of static/vendor/pkijs/pkcs12.min.js: the few PKI.js pieces the signing page needs,
// exposed as window.PortalPKCS12 (see static/vendor/pkijs/BUILD.txt).
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

function toArrayBuffer(view) {
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
}

/** Open a PKCS#12 file (ArrayBuffer) with its password, locally: the PKCS#8 private key (DER), the
 * signer's certificate (DER) and the other certificates that came with it (DER). */
export async function openPkcs12(data, password) {
  const asn = asn1js.fromBER(data);
  if (asn.offset === -1) throw new Error("not-pkcs12");
  const pfx = new pkijs.PFX({ schema: asn.result });
  const pass = toArrayBuffer(new TextEncoder().encode(password));
  try {
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true });
  } catch (error) {
    throw new Error("bad-password");
  }
  const safe = pfx.parsedValue.authenticatedSafe;
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pass })) });
  let key = null;
  let keyId = null;
  const certs = [];
  for (const content of safe.parsedValue.safeContents) {
    for (const bag of content.value.safeBags) {
      const localKeyId = (bag.bagAttributes || []).find((a) => a.type === "1.2.840.113549.1.9.21");
      const id = localKeyId ? pvHex(localKeyId.values[0].valueBlock.valueHexView) : null;
      if (bag.bagId === "1.2.840.113549.1.12.10.1.2") {  // pkcs8ShroudedKeyBag
        await bag.bagValue.parseInternalValues({ password: pass });
        key = bag.bagValue.parsedValue.toSchema().toBER(false);
        keyId = id;
      } else if (bag.bagId === "1.2.840.113549.1.12.10.1.1") {  // keyBag
        key = bag.bagValue.toSchema().toBER(false);
        keyId = id;
      } else if (bag.bagId === "1.2.840.113549.1.12.10.1.3") {  // certBag
        certs.push({ id, cert: bag.bagValue.parsedValue, der: bag.bagValue.parsedValue.toSchema().toBER(false) });
      }
    }
  }
  if (!key || !certs.length) throw new Error("no-key");
  // The signer's certificate: the one with the key's localKeyId, else the one that issues no other.
  let own = keyId && certs.find((c) => c.id === keyId);
  if (!own) own = certs.find((c) => !certs.some((o) => o !== c && o.cert.issuer.isEqual(c.cert.subject))) || certs[0];
  const publicKeyAlgorithm = own.cert.subjectPublicKeyInfo.algorithm;
  let curve = null;
  if (publicKeyAlgorithm.algorithmId === "1.2.840.10045.2.1" && publicKeyAlgorithm.algorithmParams) {
    curve = { "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521" }[
      publicKeyAlgorithm.algorithmParams.valueBlock.toString()] || null;
  }
  return {
    privateKey: key,
    certificate: own.der,
    chain: certs.filter((c) => c !== own).map((c) => c.der),
    keyAlgorithm: publicKeyAlgorithm.algorithmId === "1.2.840.10045.2.1" ? "ECDSA" : "RSA",
    curve,
  };
}

function pvHex(view) {
  return Array.from(view, (b) => b.toString(16).padStart(2, "0")).join("");
}
