//! zpb code generator (filled by the code-generator issue).
