// Package docs renders the documents an intimacy coordinator hands out:
// performer riders (with their signature certificate), the top-line summary
// for departments and ADs, and the closed-set notice for the door, each as one self-contained HTML page and as a PDF
// with embedded UTF-8 fonts.
//
// Its invariant: a document carries only what its input type holds. The types
// here are plain values that the web layer fills; docs imports no store, web
// or consent code and never looks anything up. The top-line [Summary] has no
// field for a private boundary, a reason or a withdrawal reason, so no caller
// can put one on a department's page by mistake. A [Signature] binds to a
// rider's [Digest], the SHA-256 of the rider's canonical content, and a signed
// rider is refused when the two differ.
package docs
