namespace LossLab.Data;

/// <summary>How image loaders and generators shape their feature tensor.</summary>
public enum FeatureLayout
{
    /// <summary>One row per sample: (N, C·H·W), pixels in channel-major, then row-major order.</summary>
    Flat,

    /// <summary>Images with a channel dimension: (N, C, H, W), as convolutional layers expect.</summary>
    Image,
}
