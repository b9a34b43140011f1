import Foundation

/// Section labels as provisions: what ranking priors, the provision lookup, the extractive answer and passage
/// continuation all group by.
public enum ProvisionLabel {
    /// The provision a section belongs to: the section without its paragraph and point numbers in
    /// parentheses ("Article 5(1)" and "Article 5(3)" are both "Article 5"), trimmed.
    public static func provision(of section: String) -> String {
        section.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces)
    }
}
