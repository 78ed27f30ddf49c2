using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Models;

/// <summary>
/// One pre-LN decoder block (Xiong et al. 2020, arXiv:2002.04745): x ← x + Attn(LN₁(x)), x ← x + MLP(LN₂(x)), with causal
/// multi-head self-attention softmax(q·kᵀ/√d_h + M)·v (M = −∞ above the diagonal) and MLP = W₂·GELU(W₁·x).
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm norm1, norm2;
    readonly Linear qkv, projection, fc1, fc2;
    readonly LayerNorm? queryNorm, keyNorm;
    readonly int heads;

    /// <summary>A block of width <c>config.Width</c> with <c>config.Heads</c> heads.</summary>
    public TransformerBlock(TransformerConfig config) : base(nameof(TransformerBlock))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        int d = config.Width, f = config.EffectiveMlpWidth;
        heads = config.Heads;
        norm1 = nn.LayerNorm(d);
        qkv = nn.Linear(d, 3 * d);
        projection = nn.Linear(d, d);
        norm2 = nn.LayerNorm(d);
        fc1 = nn.Linear(d, f);
        fc2 = nn.Linear(f, d);
        if (config.QkNorm)
        {
            queryNorm = nn.LayerNorm(config.HeadWidth);
            keyNorm = nn.LayerNorm(config.HeadWidth);
        }
        RegisterComponents();
    }

    /// <summary>The largest pre-softmax attention logit q_i·k_j/√d_h of the last forward pass over the positions the causal
    /// mask allows (j ≤ i), all batch entries and heads (tracked when <see cref="TrackLogits"/>).</summary>
    public double LastMaxAttentionLogit { get; private set; } = double.NaN;

    /// <summary>Record <see cref="LastMaxAttentionLogit"/> on every forward pass (costs a device synchronisation).</summary>
    public bool TrackLogits { get; set; }

    /// <summary>The residual-stream projections (attention output and MLP output), scaled down at initialisation.</summary>
    internal IEnumerable<Linear> ResidualProjections => [projection, fc2];

    /// <summary>Maps (B, T, d) to (B, T, d); position t attends to positions ≤ t only.</summary>
    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2], dh = d / heads;
        var split = qkv.forward(norm1.forward(x)).view(b, t, 3, heads, dh).permute(2, 0, 3, 1, 4);   // (3, B, H, T, dh)
        Tensor q = split[0], k = split[1], v = split[2];
        if (queryNorm is not null) { q = queryNorm.forward(q); k = keyNorm!.forward(k); }
        var scores = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(dh));                     // (B, H, T, T)
        using (var future = ones(t, t, dtype: ScalarType.Bool, device: x.device).triu(1))
            scores = scores.masked_fill(future, TorchScalars.NegativeInfinity);
        // after the mask: the statistic covers the allowed positions j ≤ i only (the diagonal keeps every row finite)
        if (TrackLogits) LastMaxAttentionLogit = scores.max().ToDouble();
        var attended = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(b, t, d);
        x = x + projection.forward(attended);
        return x + fc2.forward(nn.functional.gelu(fc1.forward(norm2.forward(x))));
    }
}
