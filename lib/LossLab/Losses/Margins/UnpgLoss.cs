using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>Unified negative pair generation (Jung et al., 2022, arXiv:2203.11593): a margin-softmax head's logits are
/// extended with sample–sample negatives from the batch. The cosines s_n of all negative pairs (i &lt; j, y_i ≠ y_j) are
/// filtered by the box-and-whisker rule (kept if within [Q₁ − w·IQR, Q₃ + w·IQR], quartiles at ⌊0.25·n⌋ and ⌊0.75·n⌋ of the
/// sorted values), and the kept ones are appended, scaled by s, as extra negative columns to every row:
/// L = CE([head logits, s·s_n′], y). As in the authors' code. Whisker w = 1.</summary>
public sealed class UnpgLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <param name="head">The margin-softmax head whose logits are extended (its weights are registered here).</param>
    /// <param name="whisker">w &gt; 0 (1).</param>
    public UnpgLoss(MarginSoftmaxLoss head, double whisker = 1) : base(nameof(UnpgLoss))
    {
        Head = head ?? throw new ArgumentNullException(nameof(head));
        Whisker = Guard.Positive(whisker, nameof(whisker));
        register_module("head", head);
    }

    /// <summary>The wrapped head.</summary>
    public MarginSoftmaxLoss Head { get; }
    /// <summary>w.</summary>
    public double Whisker { get; }

    /// <summary>The filtered sample–sample negative cosines s_n′ of the batch (1-D, ascending).</summary>
    public Tensor FilteredNegatives(Tensor embeddings, Tensor labels)
    {
        var x = nn.functional.normalize(embeddings, p: 2, dim: 1);
        var sim = x.matmul(x.t());
        var y = labels.to_type(ScalarType.Int64);
        var negUpper = y.unsqueeze(1).ne(y.unsqueeze(0)).triu(1);
        var sn = sim.masked_select(negUpper);
        long n = sn.shape[0];
        if (n == 0) return sn;
        var sorted = sn.sort().Values;
        double q1, q3;
        using (torch.no_grad())
        {
            q1 = sorted[(long)(0.25 * n)].to_type(ScalarType.Float64).item<double>();
            q3 = sorted[(long)(0.75 * n)].to_type(ScalarType.Float64).item<double>();
        }
        var iqr = q3 - q1;
        var keep = sorted.ge(q1 - Whisker * iqr).logical_and(sorted.le(q3 + Whisker * iqr));
        return sorted.masked_select(keep);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        var logits = Head.Logits(embeddings, labels);
        var extra = FilteredNegatives(embeddings, labels);
        var all = torch.cat([logits, (Head.Scale * extra).unsqueeze(0).expand(logits.shape[0], extra.shape[0])], 1);
        return nn.functional.cross_entropy(all, labels.to_type(ScalarType.Int64));
    }
}
