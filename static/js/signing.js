// Signing a protocol in the browser: the private key never leaves the signer's machine.
//
// The page (documents/protocol_sign.html, #sign-form) asks the portal to prepare the PDF for the
// signer's certificate (public only) and gets back the DER of the CMS signed attributes; a Signer
// signs them here; the portal embeds the signature value, checks it and stores the file.
//
// A Signer has two methods, like documents.signing on the server:
//   certificate() -> Promise<{certificate: Uint8Array, chain: Uint8Array[]}>   (DER)
//   sign(data)    -> Promise<Uint8Array>   the CMS SignatureValue over `data` (the signed attributes)
// Implementations: Pkcs12Signer (a PKCS#12 file and its password read locally, PKI.js opens it, WebCrypto
// signs: ECDSA P-256/384/521 or RSA PKCS#1 v1.5, SHA-256) and CryptoProSigner (the CryptoPro Browser
// plug-in's cadesplugin API, ГОСТ Р 34.10-2012 with the key on a token). data-signer on the form chooses
// (settings.SIGNING_CLIENT). No inline script: the Content-Security-Policy allows static files only.
(function (root) {
  "use strict";

  // ---------------------------------------------------------------- bytes

  function toBase64(bytes) {
    var view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    var text = "";
    for (var i = 0; i < view.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  function fromBase64(text) {
    var binary = atob(text);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  function fromHex(hex) {
    var clean = String(hex).replace(/[^0-9a-fA-F]/g, "");
    if (clean.length % 2) throw new Error("odd-hex");
    var out = new Uint8Array(clean.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
    return out;
  }

  function derLength(length) {
    if (length < 0x80) return [length];
    var bytes = [];
    while (length > 0) { bytes.unshift(length & 0xff); length >>= 8; }
    return [0x80 | bytes.length].concat(bytes);
  }

  function derInteger(bytes) {
    var start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    var value = Array.prototype.slice.call(bytes, start);
    if (value[0] & 0x80) value.unshift(0);
    return [0x02].concat(derLength(value.length), value);
  }

  /** WebCrypto's ECDSA signature (r‖s, IEEE P1363) as CMS wants it: DER SEQUENCE { r INTEGER, s INTEGER }. */
  function ecdsaToDer(raw) {
    var half = raw.length / 2;
    var body = derInteger(raw.subarray(0, half)).concat(derInteger(raw.subarray(half)));
    return new Uint8Array([0x30].concat(derLength(body.length), body));
  }

  function SignerError(code, detail) {
    var error = new Error(code + (detail ? ": " + detail : ""));
    error.code = code;
    return error;
  }

  // ---------------------------------------------------------------- PKCS#12 + WebCrypto

  /** `file`: an ArrayBuffer of the PKCS#12; `pkcs12`: the vendored PKI.js bundle (window.PortalPKCS12). */
  function Pkcs12Signer(file, password, options) {
    options = options || {};
    this.file = file;
    this.password = password;
    this.pkcs12 = options.pkcs12 || root.PortalPKCS12;
    this.subtle = options.subtle || (root.crypto && root.crypto.subtle);
    this.opened = null;
  }

  Pkcs12Signer.prototype.open = function () {
    var self = this;
    if (!this.opened) {
      if (!this.pkcs12 || !this.subtle) return Promise.reject(SignerError("unsupported"));
      this.opened = this.pkcs12.openPkcs12(this.file, this.password).catch(function (error) {
        throw SignerError(error && error.message === "no-key" ? "no-key" : "bad-password");
      }).then(function (opened) {
        var algorithm = opened.keyAlgorithm === "ECDSA"
          ? { name: "ECDSA", namedCurve: opened.curve }
          : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
        return self.subtle.importKey("pkcs8", opened.privateKey, algorithm, false, ["sign"]).then(function (key) {
          self.password = null; // not needed any more
          return { key: key, opened: opened };
        }, function () { throw SignerError("unsupported"); });
      });
    }
    return this.opened;
  };

  Pkcs12Signer.prototype.certificate = function () {
    return this.open().then(function (state) {
      return {
        certificate: new Uint8Array(state.opened.certificate),
        chain: state.opened.chain.map(function (der) { return new Uint8Array(der); }),
      };
    });
  };

  Pkcs12Signer.prototype.sign = function (data) {
    var self = this;
    return this.open().then(function (state) {
      var ec = state.opened.keyAlgorithm === "ECDSA";
      var algorithm = ec ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
      return self.subtle.sign(algorithm, state.key, data).then(function (signature) {
        var bytes = new Uint8Array(signature);
        return ec ? ecdsaToDer(bytes) : bytes;
      });
    });
  };

  // ---------------------------------------------------------------- CryptoPro Browser plug-in

  // Constants of the cadesplugin API (CAdESCOM / CAPICOM), as its documentation lists them; the plug-in's
  // own object carries the same names, used when present.
  var CP = {
    CAPICOM_CURRENT_USER_STORE: 2,
    CAPICOM_MY_STORE: "My",
    CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
    CADESCOM_ENCODE_BASE64: 0,
    CADESCOM_BASE64_TO_BINARY: 1,
    CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256: 101,
    CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512: 102,
  };
  var GOST_2012_256 = "1.2.643.7.1.1.1.1";
  var GOST_2012_512 = "1.2.643.7.1.1.1.2";

  function cp(plugin, name) {
    return plugin[name] !== undefined ? plugin[name] : CP[name];
  }

  /** `plugin`: window.cadesplugin (its async API: every call and property returns a promise). `thumbprint`:
   * the certificate chosen from the user's «Личное» store (CryptoProSigner.list() gives them). */
  function CryptoProSigner(thumbprint, options) {
    options = options || {};
    this.plugin = options.plugin || root.cadesplugin;
    this.thumbprint = thumbprint;
    this.cert = null;
  }

  function withStore(plugin, action) {
    if (!plugin) return Promise.reject(SignerError("no-plugin"));
    var store;
    return Promise.resolve(plugin).then(function () {
      return plugin.CreateObjectAsync("CAdESCOM.Store");
    }).then(function (s) {
      store = s;
      return store.Open(cp(plugin, "CAPICOM_CURRENT_USER_STORE"), cp(plugin, "CAPICOM_MY_STORE"),
        cp(plugin, "CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED"));
    }).then(function () {
      return store.Certificates;
    }).then(function (certificates) {
      return action(certificates);
    }).then(function (result) {
      return Promise.resolve(store.Close()).then(function () { return result; });
    }, function (error) {
      if (store) store.Close();
      throw error && error.code ? error : SignerError("no-plugin", error && error.message);
    });
  }

  /** The certificates with a private key in the user's store: [{thumbprint, subject, validTo}]. */
  CryptoProSigner.list = function (plugin) {
    plugin = plugin || root.cadesplugin;
    return withStore(plugin, function (certificates) {
      return Promise.resolve(certificates.Count).then(function (count) {
        var items = [];
        for (var i = 1; i <= count; i++) items.push(certificates.Item(i));
        return Promise.all(items);
      }).then(function (certs) {
        return Promise.all(certs.map(function (cert) {
          return Promise.all([cert.HasPrivateKey(), cert.Thumbprint, cert.SubjectName, cert.ValidToDate])
            .then(function (v) { return { hasKey: v[0], thumbprint: v[1], subject: v[2], validTo: v[3] }; });
        }));
      }).then(function (all) {
        return all.filter(function (c) { return c.hasKey; }).map(function (c) {
          return { thumbprint: c.thumbprint, subject: c.subject, validTo: c.validTo };
        });
      });
    });
  };

  CryptoProSigner.prototype.find = function () {
    var self = this;
    if (this.cert) return Promise.resolve(this.cert);
    if (!this.thumbprint) return Promise.reject(SignerError("no-certificate"));
    return withStore(this.plugin, function (certificates) {
      return Promise.resolve(certificates.Count).then(function (count) {
        var items = [];
        for (var i = 1; i <= count; i++) items.push(certificates.Item(i));
        return Promise.all(items);
      }).then(function (certs) {
        return Promise.all(certs.map(function (c) { return c.Thumbprint; })).then(function (prints) {
          var wanted = String(self.thumbprint).toUpperCase();
          var index = prints.findIndex(function (p) { return String(p).toUpperCase() === wanted; });
          if (index < 0) throw SignerError("no-certificate");
          self.cert = certs[index];
          return self.cert;
        });
      });
    });
  };

  CryptoProSigner.prototype.certificate = function () {
    var self = this;
    return this.find().then(function (cert) {
      return cert.Export(cp(self.plugin, "CADESCOM_ENCODE_BASE64"));
    }).then(function (base64) {
      return { certificate: fromBase64(String(base64).replace(/\s+/g, "")), chain: [] };
    });
  };

  /** Hash `data` with ГОСТ Р 34.11-2012 (the length the key's algorithm needs) in the plug-in and sign the
   * hash with CAdESCOM.RawSignature.SignHash. CryptoAPI returns the value little-endian: reversed here into
   * the order CMS carries (RFC 4491). */
  CryptoProSigner.prototype.sign = function (data) {
    var plugin = this.plugin;
    var cert;
    return this.find().then(function (c) {
      cert = c;
      return cert.PublicKey();
    }).then(function (key) {
      return key.Algorithm;
    }).then(function (oid) {
      return oid.Value;
    }).then(function (algorithm) {
      var hashAlgorithm;
      if (algorithm === GOST_2012_256) hashAlgorithm = cp(plugin, "CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_256");
      else if (algorithm === GOST_2012_512) hashAlgorithm = cp(plugin, "CADESCOM_HASH_ALGORITHM_CP_GOST_3411_2012_512");
      else throw SignerError("unsupported", algorithm);
      return plugin.CreateObjectAsync("CAdESCOM.HashedData").then(function (hashed) {
        return Promise.resolve(hashed.propset_Algorithm(hashAlgorithm)).then(function () {
          return hashed.propset_DataEncoding(cp(plugin, "CADESCOM_BASE64_TO_BINARY"));
        }).then(function () {
          return hashed.Hash(toBase64(data));
        }).then(function () {
          return plugin.CreateObjectAsync("CAdESCOM.RawSignature");
        }).then(function (raw) {
          return raw.SignHash(hashed, cert);
        });
      });
    }).then(function (hex) {
      return fromHex(hex).reverse();
    }, function (error) {
      throw error && error.code ? error : SignerError("failed", error && error.message);
    });
  };

  // ---------------------------------------------------------------- the page

  function postJson(url, body, csrf) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || "http-" + response.status);
          error.server = data.error || null;
          error.ownerMismatch = !!data.owner_mismatch;
          throw error;
        }
        return data;
      });
    });
  }

  function readFile(file) {
    if (file.arrayBuffer) return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  function setup(form) {
    var $ = function (id) { return document.getElementById(id); };
    var text = $("sign-messages").dataset;
    var button = $("sign-button");
    var kind = form.dataset.signer || "pkcs12";
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function show(id, message) {
      var box = $(id);
      box.textContent = message || "";
      box.classList.toggle("d-none", !message);
    }
    function progress(message) { $("sign-progress").textContent = message || ""; }

    if (kind === "cryptopro") {
      var select = $("sign-cryptopro-cert");
      CryptoProSigner.list().then(function (certs) {
        certs.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.thumbprint;
          option.textContent = c.subject + " (" + c.validTo + ")";
          select.appendChild(option);
        });
      }, function () { show("sign-error", text.noPlugin); button.disabled = true; });
    }

    function makeSigner() {
      if (kind === "cryptopro") {
        var thumbprint = $("sign-cryptopro-cert").value;
        if (!thumbprint) return Promise.reject(SignerError("no-certificate"));
        return Promise.resolve(new CryptoProSigner(thumbprint));
      }
      var input = $("sign-pkcs12");
      if (!input.files || !input.files.length) return Promise.reject(SignerError("no-file"));
      var password = $("sign-password").value;
      return readFile(input.files[0]).then(function (data) { return new Pkcs12Signer(data, password); });
    }

    var messagesByCode = {
      "no-file": text.noFile, "bad-password": text.badPassword, "no-key": text.noKey,
      "unsupported": text.unsupported, "no-plugin": text.noPlugin, "no-certificate": text.noCertificate,
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      form.setAttribute("aria-busy", "true");
      show("sign-error", "");
      show("sign-warning", "");
      progress(text.opening);
      var signer;
      makeSigner().then(function (s) {
        signer = s;
        return signer.certificate();
      }).then(function (certs) {
        progress(text.preparing);
        return postJson(form.dataset.prepareUrl, {
          certificate: toBase64(certs.certificate),
          chain: certs.chain.map(toBase64),
          confirm_owner_mismatch: $("sign-confirm-owner").checked,
        }, csrf);
      }).then(function (prepared) {
        $("sign-what-protocol").textContent = prepared.protocol;
        $("sign-what-version").textContent = String(prepared.version);
        $("sign-what-sha256").textContent = prepared.document_digest;
        $("sign-what").classList.remove("d-none");
        progress(text.signing);
        return signer.sign(fromBase64(prepared.signed_attrs)).then(function (signature) {
          progress(text.sending);
          return postJson(form.dataset.finishUrl, { token: prepared.token, signature: toBase64(signature) }, csrf);
        });
      }).then(function (done) {
        progress(text.done);
        window.location.assign(done.redirect);
      }).catch(function (error) {
        progress("");
        button.disabled = false;
        form.removeAttribute("aria-busy");
        if (error && error.ownerMismatch) {
          $("sign-confirm-block").classList.remove("d-none");
          show("sign-warning", error.server);
          return;
        }
        show("sign-error", (error && (error.server || messagesByCode[error.code])) || text.failed);
      });
    });
  }

  var api = { Pkcs12Signer: Pkcs12Signer, CryptoProSigner: CryptoProSigner, ecdsaToDer: ecdsaToDer,
              toBase64: toBase64, fromBase64: fromBase64, fromHex: fromHex };
  root.PortalSigning = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document !== "undefined") {
    var start = function () {
      var form = document.getElementById("sign-form");
      if (form) setup(form);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : globalThis);
