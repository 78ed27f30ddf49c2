namespace LossLab.Training;

/// <summary>
/// State that a resumed run needs besides the model and the optimizer: an objective that draws its own extra batches
/// (its generator), or a clipper with running statistics (e.g. per-parameter norm averages). When the trainer's
/// objective or clipper implements this interface, its state is written into every checkpoint and read back on resume.
/// </summary>
public interface ICheckpointable
{
    /// <summary>Writes the state.</summary>
    void SaveState(BinaryWriter writer);

    /// <summary>Reads the state written by <see cref="SaveState"/>.</summary>
    void LoadState(BinaryReader reader);
}
