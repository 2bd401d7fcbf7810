//! The `json` plan format: the [`Plan`] serialized as one pretty-printed
//! document with a trailing newline. Field order is the order of the struct
//! fields; the shape is described by `schema/plan.schema.json` and
//! `docs/plan-format.md`.
//!
//! [`render`] is `serde_json`'s pretty printer on the whole plan. [`write`]
//! writes the same bytes without building the document (20 MiB for 10,000
//! Spark Ads): the elements of the plan's lists are printed in parallel,
//! a window at a time, each indented for where it sits, and written in
//! order. A test holds the two byte-identical.

use std::io::Write;

use serde::Serialize;

use super::{Window, par_write};
use crate::plan::Plan;

/// Renders the document.
pub fn render(plan: &Plan) -> String {
    let mut out = serde_json::to_string_pretty(plan).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes the same bytes as [`render`] to `w`, without building the
/// document in memory first.
pub fn write(plan: &Plan, w: &mut dyn Write) -> std::io::Result<()> {
    write_in(plan, w, Window::DEFAULT)
}

fn write_in(plan: &Plan, w: &mut dyn Write, win: Window) -> std::io::Result<()> {
    // Every field, by name: a field added to `Plan` fails to compile here
    // until it is written (and the test comparing with `render` covers it).
    let Plan {
        format_version,
        today,
        base,
        summary,
        resources,
        operations,
        authorization_batches,
        authorizations,
        diagnostics,
    } = plan;
    w.write_all(b"{\n")?;
    field(w, "format_version", format_version, false)?;
    field(w, "today", today, false)?;
    field(w, "base", base, false)?;
    field(w, "summary", summary, false)?;
    list(w, "resources", resources, win, false)?;
    list(w, "operations", operations, win, false)?;
    list(
        w,
        "authorization_batches",
        authorization_batches,
        win,
        false,
    )?;
    list(w, "authorizations", authorizations, win, false)?;
    list(w, "diagnostics", diagnostics, win, true)?;
    w.write_all(b"}\n")
}

/// `  "name": VALUE` and a comma unless `last`.
fn field<T: Serialize>(w: &mut dyn Write, name: &str, v: &T, last: bool) -> std::io::Result<()> {
    w.write_all(b"  ")?;
    serde_json::to_writer(&mut *w, name).map_err(std::io::Error::from)?;
    w.write_all(b": ")?;
    let mut buf = Vec::new();
    pretty_at(&mut buf, v, b"  ")?;
    w.write_all(&buf)?;
    w.write_all(if last { b"\n" } else { b",\n" })
}

/// `  "name": [ ... ]`, the elements printed in parallel ([`par_write`]).
fn list<T: Serialize + Sync>(
    w: &mut dyn Write,
    name: &str,
    items: &[T],
    win: Window,
    last: bool,
) -> std::io::Result<()> {
    w.write_all(b"  ")?;
    serde_json::to_writer(&mut *w, name).map_err(std::io::Error::from)?;
    if items.is_empty() {
        w.write_all(b": []")?;
    } else {
        w.write_all(b": [\n")?;
        par_write(w, items, win, &|buf, i, item| {
            buf.extend_from_slice(if i == 0 { b"    " } else { b",\n    " });
            pretty_at(buf, item, b"    ")
        })?;
        w.write_all(b"\n  ]")?;
    }
    w.write_all(if last { b"\n" } else { b",\n" })
}

/// `v` pretty-printed into `out`, every line after the first indented by
/// `pad` (where it sits in the document): `serde_json`'s pretty printer,
/// with `pad` written after each newline it writes.
fn pretty_at<T: Serialize>(out: &mut Vec<u8>, v: &T, pad: &[u8]) -> std::io::Result<()> {
    let formatter = At {
        inner: serde_json::ser::PrettyFormatter::new(),
        pad,
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    v.serialize(&mut ser).map_err(std::io::Error::from)
}

/// The pretty printer, its lines shifted right by `pad`. Only the calls
/// that start a line are given the padding writer ([`Pad`]); a newline
/// inside a JSON string is escaped, so every newline is the printer's own.
struct At<'a> {
    inner: serde_json::ser::PrettyFormatter<'a>,
    pad: &'a [u8],
}

impl serde_json::ser::Formatter for At<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array(&mut Pad { w, pad: self.pad })
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.inner
            .begin_array_value(&mut Pad { w, pad: self.pad }, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object(&mut Pad { w, pad: self.pad })
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.inner
            .begin_object_key(&mut Pad { w, pad: self.pad }, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.end_object_value(w)
    }
}

/// A writer that adds `pad` after every newline written through it.
struct Pad<'w, W: ?Sized> {
    w: &'w mut W,
    pad: &'w [u8],
}

impl<W: ?Sized + Write> Write for Pad<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            let (line, tail) = rest.split_at(i + 1);
            self.w.write_all(line)?;
            self.w.write_all(self.pad)?;
            rest = tail;
        }
        self.w.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "in a test, a panic with the value is the failure report"
    )]
    use super::super::fixture::{self, plan};
    use super::*;

    fn written(p: &Plan, win: Window) -> String {
        fixture::written(write_in, p, win)
    }

    #[test]
    fn writes_the_bytes_serde_json_prints_whatever_the_windows() {
        for n in [0, 1, 2, 7, 64, 65] {
            let p = plan(n);
            let want = render(&p);
            assert_eq!(written(&p, Window::DEFAULT), want, "{n} resources");
            for (items, chunk) in [(1, 1), (3, 2), (4, 4), (5, 64)] {
                assert_eq!(
                    written(&p, Window { items, chunk }),
                    want,
                    "{n} resources, window {items}, chunk {chunk}"
                );
            }
        }
    }

    #[test]
    fn an_empty_plan_too() {
        let mut p = plan(0);
        p.base = None;
        p.authorization_batches.clear();
        p.authorizations.clear();
        p.diagnostics.clear();
        assert_eq!(written(&p, Window { items: 2, chunk: 1 }), render(&p));
    }
}
