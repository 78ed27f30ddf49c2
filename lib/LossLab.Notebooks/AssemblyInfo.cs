namespace LossLab.Notebooks;
