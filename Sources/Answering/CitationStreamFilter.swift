/// Removes citation markers that name no source from streamed text, so the deltas a client shows already
/// match the checked answer: `CitationMarkers.removingInvalid` applied to each delta alone would miss a
/// marker split across deltas.
///
/// From a `[` it holds text back while it can still be a marker (digits, commas, spaces), then lets the
/// marker through cleaned, or the held text through unchanged. Since a held run never contains a second `[`,
/// the output joined equals `removingInvalid` of the input joined, except for markers longer than
/// ``maximumMarkerLength``, which pass unchecked (and are then removed from the final text only).
struct CitationStreamFilter {
    let sourceCount: Int
    /// The longest run held back; `[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]` is 41 characters.
    let maximumMarkerLength = 64
    private var held = ""

    init(sourceCount: Int) {
        self.sourceCount = sourceCount
    }

    /// The text of `piece` that can be released now.
    mutating func push(_ piece: String) -> String {
        var output = ""
        for character in piece {
            if held.isEmpty {
                if character == "[" { held = "[" } else { output.append(character) }
            } else if character == "]" {
                held.append("]")
                output += CitationMarkers.removingInvalid(from: held, sourceCount: sourceCount)
                held = ""
            } else if Self.canContinueMarker(character) && held.count < maximumMarkerLength {
                held.append(character)
            } else {
                output += held
                held = character == "[" ? "[" : ""
                if character != "[" { output.append(character) }
            }
        }
        return output
    }

    /// What is still held at the end of the text.
    mutating func finish() -> String {
        defer { held = "" }
        return held
    }

    private static func canContinueMarker(_ character: Character) -> Bool {
        character == "," || character.isWhitespace
            || character.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal }
    }
}
