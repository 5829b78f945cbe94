//! Reading what offices have (text files, saved web pages, Word documents,
//! JSON lines, standard input) into submissions for `ImportReports`.
