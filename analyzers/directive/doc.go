// Package directive defines an Analyzer that reports malformed
// //reloadvet:ignore directives.
//
// # Analyzer directive
//
// directive: reports malformed //reloadvet:ignore directives
//
// A finding of a reloadvet analyzer is suppressed by a directive on its line
// or on the line above:
//
//	//reloadvet:ignore NAME[,NAME] reason
//
// NAME is an analyzer (layering, ...) and the reason, free text up to the
// end of the comment, is required: a suppression without a reason cannot
// be reviewed. A malformed directive suppresses nothing, and this analyzer
// says why. Wrong:
//
//	//reloadvet:ignore layering                  // no reason
//	//reloadvet:ignore layring legacy import     // unknown analyzer
//	// reloadvet:ignore layering legacy import   // a space after //: not a directive
//	//reloadvet:disable layering legacy import   // unknown directive
//
// Right:
//
//	//reloadvet:ignore layering admin still reads api's session cache until #123 lands
//
// A directive that suppresses nothing is reported by the analyzer it names
// (category unused-directive), so stale suppressions do not pile up.
//
// Categories:
//
//   - malformed-directive: a //reloadvet: comment that is not a valid
//     directive, or that names an unknown analyzer.
package directive
