/*
 * lanesim sweep over MPI (built only with -DLANESIM_MPI=ON). Every rank parses the same command line
 * and builds the same grid; rank r evaluates the points of the shard at positions j with
 * j % size == r (cli/sweep.h: sweep_rank_of), with its own threads; the results, plain structs of
 * one binary, travel to rank 0 as bytes with one MPI_Gatherv, and rank 0 writes the table, CSV and
 * JSON exactly as a single process does. MPI is started only when a launcher (mpirun/mpiexec,
 * srun with PMI or PMIx) set its environment, so the MPI build also runs as a plain command.
 * MPI calls come from the main thread only (MPI_THREAD_FUNNELED).
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sweep.h"

static int started;

void sweep_mpi_init(int *rank, int *size, int *local)
{
    static const char *const launcher_env[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK" };
    *rank = 0;
    *size = 1;
    *local = 1;
    int launched = 0;
    for (size_t k = 0; k < sizeof launcher_env / sizeof *launcher_env; k++)
        launched |= getenv(launcher_env[k]) != NULL;
    if (!launched)
        return;
    int provided;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, local);
        MPI_Comm_free(&node);
    }
}

int sweep_mpi_agree(int rc)
{
    int all = rc;
    if (started)
        MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

int sweep_mpi_gather(sweep *s, int rank, int size)
{
    if (!started || size == 1)
        return 0;
    const size_t rec = sizeof *s->res;
    int *counts = calloc((size_t)size, sizeof *counts), *displs = calloc((size_t)size, sizeof *displs);
    size_t mine = 0, total = 0;
    for (size_t i = 0; i < s->n_pts; i++)
        if (sweep_mine(s, i)) {
            int r = sweep_rank_of(s, i, size);
            if (counts)
                counts[r]++;
            mine += r == rank;
            total++;
        }
    /* byte counts must fit an int: at most 100000 points of under 1 kB each */
    unsigned char *send = malloc(mine ? mine * rec : 1), *recv = rank == 0 ? malloc(total ? total * rec : 1) : NULL;
    int ok = counts && displs && send && (rank != 0 || recv), all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(counts);
        free(displs);
        free(send);
        free(recv);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n_pts; i++)
        if (sweep_mine(s, i) && sweep_rank_of(s, i, size) == rank)
            memcpy(send + rec * k++, &s->res[i], rec);
    for (int r = 0, off = 0; r < size; r++) {
        counts[r] *= (int)rec;
        displs[r] = off;
        off += counts[r];
    }
    int st = MPI_Gatherv(send, (int)(mine * rec), MPI_BYTE, recv, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (st == MPI_SUCCESS && rank == 0) {
        /* rank r's records arrive in its point order, from byte displs[r] */
        size_t *next = calloc((size_t)size, sizeof *next);
        if (!next) {
            st = MPI_ERR_NO_MEM;
        } else {
            for (size_t i = 0; i < s->n_pts; i++)
                if (sweep_mine(s, i)) {
                    int r = sweep_rank_of(s, i, size);
                    memcpy(&s->res[i], recv + (size_t)displs[r] + rec * next[r]++, rec);
                }
            free(next);
        }
    }
    free(counts);
    free(displs);
    free(send);
    free(recv);
    return st == MPI_SUCCESS ? 0 : -1;
}

void sweep_mpi_finalize(void)
{
    if (started)
        MPI_Finalize();
    started = 0;
}
