using TorchSharp;

namespace LossLab.Scaling;

/// <summary>
/// Compute accounting of language-model training (Kaplan et al. 2020, arXiv:2001.08361, §2.1): training compute
/// C ≈ 6·N·D FLOP for N non-embedding parameters and D tokens (2ND forward, 4ND backward).
/// </summary>
public static class ComputeAccounting
{
    /// <summary>C = 6·N·D.</summary>
    public static double TrainingFlops(double parameters, double tokens) =>
        6.0 * Guard.Positive(parameters, nameof(parameters)) * Guard.Positive(tokens, nameof(tokens));

    /// <summary>D = C/(6N).</summary>
    public static double TokensForBudget(double flops, double parameters) =>
        Guard.Positive(flops, nameof(flops)) / (6.0 * Guard.Positive(parameters, nameof(parameters)));

    /// <summary>N = C/(6D).</summary>
    public static double ParametersForBudget(double flops, double tokens) =>
        Guard.Positive(flops, nameof(flops)) / (6.0 * Guard.Positive(tokens, nameof(tokens)));

    /// <summary>All trainable parameters of <paramref name="model"/>.</summary>
    public static long Parameters(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(p => p.numel());
    }

    /// <summary>
    /// Non-embedding parameters (Kaplan et al.'s N): every parameter except those of <c>Embedding</c> modules (token and
    /// learned position embeddings). An output projection tied to the embedding is shared, so it is not counted either;
    /// an untied output projection is counted, as Kaplan et al. count it.
    /// </summary>
    public static long NonEmbeddingParameters(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var embedding = new HashSet<IntPtr>();
        foreach (var (_, module) in model.named_modules())
            if (module is TorchSharp.Modules.Embedding)
                foreach (var p in module.parameters(recurse: false)) embedding.Add(p.Handle);
        return model.parameters().Where(p => !embedding.Contains(p.Handle)).Sum(p => p.numel());
    }
}
