/*
 * rbtree.h - red-black trees with the kernel's API and algorithms
 * (include/linux/rbtree.h, include/linux/rbtree_augmented.h, lib/rbtree.c),
 * written by us.
 *
 * The tree is intrusive: a struct rb_node lives inside the user's object
 * and the user does the search and linking (rb_link_node), then asks for
 * rebalancing (rb_insert_color).  The node's parent pointer and its colour
 * share one word (__rb_parent_color; the colour is bit 0).  Augmented trees
 * keep a per-node value computed from the subtree (vmalloc's
 * subtree_max_size); the callbacks keep it right through rotations and
 * erases.
 */
#ifndef KMEMSH_RBTREE_H
#define KMEMSH_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rb_node {
	uintptr_t __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT (struct rb_root){ NULL }
#define RB_RED 0
#define RB_BLACK 1

#define rb_parent(r) ((struct rb_node *)((r)->__rb_parent_color & ~(uintptr_t)3))
#define rb_color(r) ((int)((r)->__rb_parent_color & 1))
#define rb_is_red(r) (!rb_color(r))
#define rb_is_black(r) rb_color(r)
#define rb_entry(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define rb_entry_safe(ptr, type, member) ((ptr) ? rb_entry(ptr, type, member) : NULL)
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (uintptr_t)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (uintptr_t)(node))

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent, struct rb_node **rb_link)
{
	node->__rb_parent_color = (uintptr_t)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);
void rb_replace_node(struct rb_node *victim, struct rb_node *new_node, struct rb_root *root);

/* Augmented trees (rbtree_augmented.h) */
struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new_node);
	void (*rotate)(struct rb_node *old, struct rb_node *new_node);
};

/* Fix up the tree after rb_link_node(); the caller has already propagated
 * the augmented value along the path to the new node. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, const struct rb_augment_callbacks *augment);

#endif
