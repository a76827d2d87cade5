//! Failure of a command: one line on stderr and an exit code.

use std::fmt::Display;
use std::process::ExitCode;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: a config, data file, model directory or flag (exit code 2).
    Input(String),
    /// Anything else that went wrong while running (exit code 1).
    Runtime(String),
}

impl Failure {
    /// Creates an input error from any displayable error.
    pub fn input(err: impl Display) -> Self {
        Failure::Input(err.to_string())
    }

    /// Creates a runtime error from any displayable error.
    pub fn runtime(err: impl Display) -> Self {
        Failure::Runtime(err.to_string())
    }

    /// Prints the message and returns the exit code.
    pub fn report(self) -> ExitCode {
        let (message, code) = match self {
            Failure::Input(message) => (message, 2),
            Failure::Runtime(message) => (message, 1),
        };
        eprintln!("error: {message}");
        ExitCode::from(code)
    }
}
