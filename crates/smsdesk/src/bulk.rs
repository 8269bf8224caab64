//! Bulk reminders from a spreadsheet (issue 9): a file becomes a [`table::Table`], its columns
//! are mapped ([`columns`]), every row is checked and rendered before anything is sent
//! ([`plan`]), the job and all its rows are stored ([`job`]), and the rows go out paced
//! ([`pace`]) through the one send gate, each one in History linked to its job (the runner is
//! the desk's: [`crate::desk::bulk`]).

pub mod columns;
pub mod job;
pub mod pace;
pub mod plan;
pub mod table;
pub mod timing;
