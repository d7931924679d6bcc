// SPDX-License-Identifier: Apache-2.0
// Validates Kubernetes Job manifests (YAML) against the batch/v1 Job schema, offline:
// kubernetes-models carries the API's OpenAPI schema compiled to validators, so no
// cluster is asked (kubectl --dry-run=client cannot do that: it needs the API for discovery).
//
// Usage: node validate-job.mjs FILE.yaml...
// Exit 0 when every document of every file is a valid batch/v1 Job; 1 with the
// validation errors otherwise; 2 on a usage error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1/Job";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-job.mjs FILE.yaml...");
  process.exit(2);
}

let failures = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    failures++;
    continue;
  }
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length === 0) {
    console.error(`${file}: no YAML document`);
    failures++;
    continue;
  }
  docs.forEach((doc, i) => {
    const where = docs.length > 1 ? `${file} (document ${i + 1})` : file;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) console.error(`${where}: YAML: ${err.message}`);
      failures++;
      return;
    }
    const obj = doc.toJS();
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      console.error(`${where}: not a YAML mapping`);
      failures++;
      return;
    }
    if (obj.apiVersion !== "batch/v1" || obj.kind !== "Job") {
      console.error(`${where}: apiVersion/kind is ${obj.apiVersion}/${obj.kind}, want batch/v1/Job`);
      failures++;
      return;
    }
    try {
      // The constructor keeps apiVersion/kind; validate() throws with every schema error.
      new Job(obj).validate();
    } catch (e) {
      console.error(`${where}: invalid batch/v1 Job:`);
      const errors = Array.isArray(e.errors) ? e.errors : null;
      if (errors) {
        for (const err of errors) {
          const allowed = err.params?.allowedValues ? ` (allowed: ${err.params.allowedValues.join(", ")})` : "";
          console.error(`  ${err.instancePath || "/"}: ${err.message}${allowed}`);
        }
      } else {
        console.error(`  ${e.message}`);
      }
      failures++;
      return;
    }
    const spec = obj.spec ?? {};
    console.log(
      `${where}: valid batch/v1 Job "${obj.metadata?.name}" (completionMode ${spec.completionMode ?? "NonIndexed"}, ` +
        `completions ${spec.completions}, parallelism ${spec.parallelism}, backoffLimitPerIndex ${spec.backoffLimitPerIndex})`,
    );
  });
}
process.exit(failures === 0 ? 0 : 1);
