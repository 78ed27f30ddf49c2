namespace LossLab.Training;

/// <summary>A training step produced a NaN or infinite loss.</summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Creates the exception for step <paramref name="step"/>, whose loss was <paramref name="loss"/>, after a last
    /// finite loss of <paramref name="lastFiniteLoss"/> (NaN when no step had a finite loss).</summary>
    public NonFiniteLossException(long step, double loss, double lastFiniteLoss)
        : base($"The loss became {loss} at step {step}; the last finite loss was {lastFiniteLoss}.")
    {
        Step = step;
        Loss = loss;
        LastFiniteLoss = lastFiniteLoss;
    }

    /// <summary>The 0-based step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The non-finite loss (NaN, +∞ or −∞).</summary>
    public double Loss { get; }

    /// <summary>The loss of the last step whose loss was finite (NaN when there was none).</summary>
    public double LastFiniteLoss { get; }
}
