import Foundation

extension Duration {
    /// The duration in seconds, fractions included: what timestamps (`Date`) and figures in seconds are made of.
    public var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
