namespace LossLab.Data;

/// <summary>The content of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Columns"/>
/// unsigned bytes, row-major, image after image.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels);
