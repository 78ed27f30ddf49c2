namespace LossLab.Data;

/// <summary>Where symmetric label noise sends a corrupted label.</summary>
public enum NoiseTarget
{
    /// <summary>A class drawn uniformly from the C − 1 <em>other</em> classes, so every corrupted label is wrong and the
    /// fraction of wrong labels is exactly η ("symmetric flipping", Han et al., Co-teaching, NeurIPS 2018, arXiv:1804.06872).</summary>
    OtherClass,

    /// <summary>A class drawn uniformly from all C classes, the true one included, so the expected fraction of wrong labels
    /// is η(C − 1)/C ("uniform noise", e.g. Zhang and Sabuncu, NeurIPS 2018, arXiv:1805.07836).</summary>
    AnyClass,
}
