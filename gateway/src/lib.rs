//! The EDU24 gateway, the only public entry: the web portal (server-rendered HTML in
//! Kyrgyz, Russian and English), the REST API under `/api/v1`, and the wiring of the
//! `edu24` binary (one process or one service per process).

pub mod i18n;
pub mod node;
pub mod web;
